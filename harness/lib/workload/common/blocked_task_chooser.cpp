#include "workload/common/blocked_task_chooser.hpp"

#include <algorithm>

namespace numalab::workload {

std::vector<TaskInD> BlockedTaskChooser::choose(std::vector<TaskInD> in_d, TimePoint now) {
  std::map<int, Sighting> seen;
  for (auto& task : in_d) {
    Sighting s{task.pid, task.switches, now};
    // The same thread (a TID reused by another process is another task), still without a switch.
    if (auto it = seen_.find(task.tid);
        it != seen_.end() && it->second.pid == task.pid && it->second.switches == task.switches)
      s.since = std::min(it->second.since, now);
    task.unchanged_for = now - s.since;
    seen[task.tid] = s;
  }
  seen_ = std::move(seen);
  std::ranges::sort(in_d, [](const TaskInD& a, const TaskInD& b) {
    return a.unchanged_for != b.unchanged_for ? a.unchanged_for > b.unchanged_for : a.tid < b.tid;
  });
  if (in_d.size() > max_tasks_) in_d.resize(max_tasks_);
  return in_d;
}

}  // namespace numalab::workload
