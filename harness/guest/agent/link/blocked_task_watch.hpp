#pragma once
// The agent's watch for tasks stuck in uninterruptible sleep, the guest half of the kernel's
// hung-task detector whatever that is set to: once per heartbeat interval, from the heartbeat
// thread (which keeps running while a workload's thread is blocked), it reads the state of every
// thread in ROOT/proc/*/task/*/stat, at most k_max_scanned_threads a pass. A read that fails is
// skipped: tasks come and go. When some are in D, the chooser's pick of them goes to the host as
// one blocked message with their context switches, wchan and kernel stack; when none is, nothing
// is sent, and the host takes the absence as "none".

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>

#include "agent/protocol.hpp"
#include "link/agent_port.hpp"
#include "workload/common/blocked_task_chooser.hpp"

namespace numalab::guest {

inline constexpr std::size_t k_max_scanned_threads = 4096;

class BlockedTaskWatch {
 public:
  explicit BlockedTaskWatch(std::filesystem::path root);

  // One pass: the tasks to report, or nullopt when no thread is in D.
  std::optional<agent::Blocked> scan();
  // A pass, and its blocked message sent on port if there is one. The cost of the first pass, of
  // the first that found tasks in D and of the first slower than k_slow_scan is said once each in
  // the transcript (the watch runs every heartbeat, from the heartbeat thread).
  void scan_and_send(AgentPort& port);

  struct Cost {
    std::size_t threads = 0;  // stat files read
    std::chrono::microseconds took{};
  };
  Cost last_cost() const { return cost_; }

 private:
  static constexpr std::chrono::milliseconds k_slow_scan{200};

  std::filesystem::path root_;
  workload::BlockedTaskChooser chooser_{agent::k_max_blocked_tasks};
  Cost cost_;
  bool said_first_ = false;
  bool said_first_in_d_ = false;
  bool said_slow_ = false;
};

}  // namespace numalab::guest
