#include "run/progress_counters.hpp"

#include <algorithm>
#include <string_view>

namespace numalab::run {

namespace {

constexpr std::string_view k_prefix = "progress.";

}  // namespace

void ProgressCounters::sample(const std::string& name, double value, util::TimePoint now) {
  if (!name.starts_with(k_prefix)) return;
  last_sample_ = now;
  ever_ = true;
  auto it = open_.find(name);
  if (it == open_.end()) {
    if (open_.size() < k_max_progress_counters) open_.emplace(name, CounterState{value, now});
    return;
  }
  if (it->second.value == value) return;
  it->second = {value, now};
  if (change_count_ < k_max_progress_changes) {
    changes_[name.substr(k_prefix.size())].push_back(now);
    ++change_count_;
  }
}

void ProgressCounters::restart(util::TimePoint now) {
  for (auto& [name, c] : open_) c.changed = std::max(c.changed, now);
  last_sample_ = std::max(last_sample_, now);
}

util::TimePoint ProgressCounters::latest_change() const {
  util::TimePoint latest = util::TimePoint::min();
  for (const auto& [name, c] : open_) latest = std::max(latest, c.changed);
  return latest;
}

std::optional<util::TimePoint> ProgressCounters::first_move_of(const std::string& counter) const {
  auto it = changes_.find(counter);
  if (it == changes_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::map<std::string, util::TimePoint> ProgressCounters::moved_after(util::TimePoint since) const {
  std::map<std::string, util::TimePoint> moved;
  for (const auto& [name, times] : changes_) {
    auto it = std::upper_bound(times.begin(), times.end(), since);
    if (it != times.end()) moved.emplace(name, *it);
  }
  return moved;
}

std::optional<util::TimePoint> ProgressCounters::first_move_after(util::TimePoint since) const {
  std::optional<util::TimePoint> first;
  for (const auto& [name, t] : moved_after(since))
    if (!first || t < *first) first = t;
  return first;
}

}  // namespace numalab::run
