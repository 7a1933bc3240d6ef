#include "run/frozen_counters.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace numalab::run {

namespace {

double seconds(util::TimePoint from, util::TimePoint to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

std::string describe_frozen(const std::map<std::string, CounterState>& counters, util::TimePoint last_sample,
                            util::TimePoint now) {
  if (counters.empty()) return "";
  std::string text = "; frozen:";
  for (const auto& [name, c] : counters) {
    std::string_view shown = name;
    if (shown.starts_with("progress.")) shown.remove_prefix(std::string_view("progress.").size());
    char line[160];
    std::snprintf(line, sizeof line, " %.*s at %.0f for %.0f s,",
                  static_cast<int>(std::min<std::size_t>(shown.size(), 64)), shown.data(), c.value,
                  seconds(c.changed, now));
    text += line;
  }
  text.pop_back();
  if (now - last_sample > k_sample_gap_worth_saying) {
    char line[96];
    std::snprintf(line, sizeof line, "; the last progress sample came %.0f s ago", seconds(last_sample, now));
    text += line;
  }
  return text;
}

}  // namespace numalab::run
