#pragma once
// The churn of the cpuset-churn workload, run on a thread of its own while the workload's thread
// watches its progress. One iteration: create a cpuset (v1: notify_on_release, memory_migrate, a
// release agent), move the long-lived tasks in, start a short-lived task in it, change its mems
// (their pages migrate), move the long-lived tasks back to the root, let the short-lived task exit
// (emptying the cpuset from the exit path), remove the cpuset; the memory hog is restarted if the
// OOM killer took it. This is the pattern of the 2005 cpuset_sem double trip (allocating while
// changing cpusets on a memory-tight system) and the notify_on_release ABBA deadlock (creating and
// destroying notify_on_release cpusets while tasks exit).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/cpuset_fs.hpp"
#include "workload/common/mempolicy_remap.hpp"
#include "workloads/cpuset_churn/cpuset_churn_processes.hpp"

namespace numalab::guest {

// Shared between the churn thread and the watcher. The atomics are read while the churn runs; the
// rest only after the thread has been joined.
struct ChurnProgress {
  std::atomic<std::uint64_t> iterations{0};
  std::atomic<std::int64_t> last_progress_ns{0};  // steady_clock, when the last iteration ended
  std::atomic<const char*> step{"starting"};      // what the churn thread does now (a literal)
  std::atomic<int> version{1};                    // the cgroup interface in use: 1 or 2
  std::atomic<pid_t> tid{0};                      // the churn thread's id (its /proc/self/task entry)
  std::atomic<pid_t> hog_pid{0};                  // the memory hog's, 0 if none; the hog is restarted
  std::atomic<bool> stop{false};                  // set by the watcher: finish the iteration and end
  std::atomic<bool> finished{false};

  double max_gap_s = 0;           // the longest time between two signs of progress
  const char* slowest_step = "";  // the churn step that took longest, once
  double slowest_step_s = 0;
  double min_latency_s = 0;
  double max_latency_s = 0;
  double total_latency_s = 0;
  std::uint64_t hog_restarts = 0;
  std::uint64_t task_restarts = 0;  // long-lived churn tasks the OOM killer took
  std::vector<std::string> notes;   // one line per cgroup interface: its iterations and time
  std::string error;  // why the churn stopped early (a cgroup write failed...), "" if it did not
};

struct ChurnSetup {
  std::filesystem::path root;
  std::vector<CgroupVersion> versions;  // each gets an equal share of the time
  std::chrono::steady_clock::time_point end;
  workload::NodeMask memory_nodes;
  std::size_t hog_bytes = 0;
  ForkedChild* hog = nullptr;                        // restarted here when it dies
  std::atomic<std::uint64_t>* hog_chunks = nullptr;  // the hog's progress (SharedCounter)
};

// Runs until setup.end or progress.stop, then sets progress.finished.
void run_churn(const ChurnSetup& setup, ChurnProgress& progress);

}  // namespace numalab::guest
