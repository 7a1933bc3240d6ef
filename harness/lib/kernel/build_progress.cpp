#include "kernel/build_progress.hpp"

#include <algorithm>
#include <cstdio>

namespace numalab::kernel {

void BuildProgress::take(std::string_view line) {
  // kbuild's quiet lines: two spaces, an upper-case verb, spaces, the target.
  if (line.size() < 4 || line.substr(0, 2) != "  " || line[2] < 'A' || line[2] > 'Z') return;
  line.remove_prefix(2);
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return;
  const auto verb = line.substr(0, space);
  if (!std::all_of(verb.begin(), verb.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; }))
    return;
  auto target = line.substr(space);
  target.remove_prefix(std::min(target.find_first_not_of(' '), target.size()));
  phase_ = verb;
  target_ = std::string(target.substr(0, 60));
  ++steps_;
}

void BuildProgress::feed(std::string_view bytes) {
  for (char c : bytes) {
    if (c == '\n') {
      take(partial_);
      partial_.clear();
    } else if (partial_.size() < 512) {
      partial_ += c;
    }
  }
}

std::string BuildProgress::line(double elapsed_s) const {
  char clock[32];
  std::snprintf(clock, sizeof clock, "%dm%02ds", static_cast<int>(elapsed_s) / 60,
                static_cast<int>(elapsed_s) % 60);
  std::string head;
  if (expected_ && *expected_ > 0) {
    const auto pct = std::min<std::uint64_t>(99, steps_ * 100 / *expected_);
    const auto filled = static_cast<std::size_t>(pct * 14 / 100);
    char p[8];
    std::snprintf(p, sizeof p, "%3u%%", static_cast<unsigned>(pct));
    head = "[" + std::string(filled, '#') + std::string(14 - filled, '-') + "] " + p;
  } else {
    head = std::to_string(steps_) + " steps";
  }
  return head + "  " + phase_ + " " + target_ + "  " + clock;
}

}  // namespace numalab::kernel
