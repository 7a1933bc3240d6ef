#pragma once
// The tasks a guest reported in uninterruptible sleep (the agent's blocked messages, about one a
// second while any task is in D), each with the host time since which its context-switch count has
// stood still: the host's half of a hung-task detector that does not depend on the guest kernel's
// own (khungtaskd compares nvcsw + nivcsw the same way). A task is known by (pid, tid); one that
// is not reported again within `forget_after` has left D or ended, and is forgotten (the guest
// sends nothing when no task is in D). Pure: time is passed in. Bounded: k_max_tasks_in_d tasks,
// the least recently reported forgotten first.

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "agent/protocol.hpp"
#include "util/deadline.hpp"

namespace numalab::run {

inline constexpr std::size_t k_max_tasks_in_d = 256;

struct TaskInD {
  agent::BlockedTask task;     // as last reported
  util::TimePoint since{};     // the host time it was first reported with task.switches
  util::TimePoint reported{};  // the last time it was reported
};

class TasksInD {
 public:
  explicit TasksInD(std::chrono::milliseconds forget_after) : forget_after_(forget_after) {}

  // One blocked message: each task is refreshed, and starts again from `now` when its switch count
  // moved. Tasks not reported for longer than forget_after are forgotten.
  void reported(const agent::Blocked& m, util::TimePoint now);
  void forget_stale(util::TimePoint now);
  // After a pause the watch starts again from `now`: the pause is nobody's stall.
  void restart(util::TimePoint now);

  bool any() const { return !tasks_.empty(); }
  // The earliest `since`, TimePoint::max() when no task is known.
  util::TimePoint oldest_since() const;
  // The tasks whose switch count has not moved for at least `window` at `now`, longest first.
  std::vector<TaskInD> stuck_for(std::chrono::milliseconds window, util::TimePoint now) const;
  // Every task known, longest unchanged first.
  std::vector<TaskInD> all() const;

 private:
  std::chrono::milliseconds forget_after_;
  std::map<std::pair<int, int>, TaskInD> tasks_;  // by (pid, tid)
};

// "task numalab-trigger (pid 812) blocked in D for 60 s without a context switch: mutex_lock <-
// deadlock_self <- trigger_write": the first max_frames frames of its stack (innermost first), or
// its wchan when the kernel gave no stack.
std::string describe_stuck(const TaskInD& t, util::TimePoint now, std::size_t max_frames);

}  // namespace numalab::run
