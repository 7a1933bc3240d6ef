#pragma once
// Which tasks in uninterruptible sleep the guest reports: it scans them once per heartbeat, and
// a message holds at most a few. The chooser remembers, from scan to scan, since when each task
// has been in D with the same context-switch count, and reports those stuck longest first: a
// deadlocked task stays at the front however many tasks pass through D briefly (I/O, page locks).
//
// Nothing is excluded, the agent's own threads included: none of them should sleep in D for
// long, and one that does is worth reporting.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace numalab::workload {

struct TaskInD {
  int pid = 0;
  int tid = 0;
  std::string comm;
  std::uint64_t switches = 0;  // voluntary + nonvoluntary context switches
  // Filled in by the chooser: how long it has been in D with these switches, over the scans.
  std::chrono::steady_clock::duration unchanged_for{};

  bool operator==(const TaskInD&) const = default;
};

class BlockedTaskChooser {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit BlockedTaskChooser(std::size_t max_tasks) : max_tasks_(max_tasks) {}

  // One scan's tasks in D, taken at `now`: the max_tasks of them in D longest with the same
  // switch count, longest first (then by TID). A task in D with other switches than at the
  // previous scan starts again from now; a task not in this scan is forgotten, so memory is
  // bounded by the scan's size.
  std::vector<TaskInD> choose(std::vector<TaskInD> in_d, TimePoint now);

 private:
  struct Sighting {
    int pid = 0;
    std::uint64_t switches = 0;
    TimePoint since;
  };

  std::size_t max_tasks_;
  std::map<int, Sighting> seen_;  // by TID, the tasks of the previous scan
};

}  // namespace numalab::workload
