#pragma once
// A task with a NUMA memory policy of its own, for the cpuset-rebind workload: a child process
// forked from the agent that, when told, sets its policy with set_mempolicy (in whatever cpuset
// the agent has put it in by then), places `pages` pages by touching them, and afterwards answers
// every question with get_mempolicy, which only the task itself can ask. The agent reads the rest
// from outside: /proc/PID/numa_maps and move_pages(PID, nodes = NULL).
//
// The child only makes system calls, touches its pages and writes fixed-size records to a pipe;
// it never allocates, never touches the agent's port or console, and ends with _exit (on 'q' or at
// the end of its control pipe). Its ForkedChild kills and reaps it on destruction (the caller holds
// a ChildReapingPause), so it never outlives the workload: the end of file alone is not enough, as
// tasks forked later hold copies of the earlier tasks' pipes.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "common/forked_child.hpp"
#include "workload/cpuset_rebind/mempolicy_model.hpp"

namespace numalab::guest {

// What get_mempolicy said in the task.
struct TaskPolicyReport {
  int mode_word = -1;
  workload::NodeMask nodes;
};

class PolicyTask {
 public:
  // Forks the task; it waits for set_policy().
  static std::expected<PolicyTask, std::string> start(workload::PolicyMode mode, workload::PolicyFlags flags,
                                                      const workload::NodeMask& user, std::size_t pages);
  PolicyTask(PolicyTask&& other) noexcept = default;
  PolicyTask& operator=(PolicyTask&&) = delete;
  PolicyTask(const PolicyTask&) = delete;
  PolicyTask& operator=(const PolicyTask&) = delete;

  pid_t pid() const { return task_.pid(); }

  // set_mempolicy, then the pages are mapped and touched.
  std::expected<void, std::string> set_policy(std::chrono::milliseconds timeout);
  // get_mempolicy, in the task.
  std::expected<TaskPolicyReport, std::string> report(std::chrono::milliseconds timeout);
  // The node of each page (move_pages with nodes = NULL), or a negative errno per page.
  std::expected<std::vector<int>, std::string> page_nodes() const;
  // The policy word of the task's pages in /proc/PID/numa_maps ("bind=static:1"), "" if absent.
  std::expected<std::string, std::string> numa_maps_policy() const;

 private:
  PolicyTask() = default;
  std::expected<void, std::string> ask(char command, std::chrono::milliseconds timeout, void* out,
                                       std::size_t size);

  ForkedChild task_;
  std::uint64_t buffer_ = 0;  // the address of the task's pages
  std::size_t pages_ = 0;
};

}  // namespace numalab::guest
