#pragma once
// A machine's progress.* counters (pages written, pages swapped in, RPC calls...), the samples a
// workload sends about once a second to show that it is getting somewhere. The open step's
// counters tell a stall (every counter frozen while the agent still answers); the whole run's
// history of changes tells when work resumed after a fault. Bounded: 16 counters per step, 100,000
// changes in all (a second each for a day).

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "run/frozen_counters.hpp"
#include "util/deadline.hpp"

namespace numalab::run {

inline constexpr std::size_t k_max_progress_counters = 16;
inline constexpr std::size_t k_max_progress_changes = 100000;

class ProgressCounters {
 public:
  // A sample named "progress.NAME" (others are ignored).
  void sample(const std::string& name, double value, util::TimePoint now);
  // A step starts or ends: the open step's counters start afresh (the history stays).
  void clear() { open_.clear(); }
  // After a pause the watch starts again from `now`: the pause is nobody's silence.
  void restart(util::TimePoint now);

  bool any() const { return !open_.empty(); }
  // Whether the machine ever sent a progress counter in this run.
  bool ever() const { return ever_; }
  util::TimePoint latest_change() const;
  // "; frozen: pages_done at 0 for 224 s, ..." (frozen_counters.hpp).
  std::string describe_frozen(util::TimePoint now) const {
    return run::describe_frozen(open_, last_sample_, now);
  }

  // The run's history, by counter name without "progress.".
  std::optional<util::TimePoint> first_move_of(const std::string& counter) const;
  std::map<std::string, util::TimePoint> moved_after(util::TimePoint since) const;
  std::optional<util::TimePoint> first_move_after(util::TimePoint since) const;

 private:
  std::map<std::string, CounterState> open_;  // the open step's counters, by full name
  util::TimePoint last_sample_{};
  std::map<std::string, std::vector<util::TimePoint>> changes_;  // host times of each change, in order
  std::size_t change_count_ = 0;
  bool ever_ = false;
};

}  // namespace numalab::run
