#pragma once
// The processes of the cpuset-churn workload, forked from the agent. Each only touches memory,
// makes system calls and ends with _exit; none outlives its ForkedChild (killed and reaped on
// destruction: the workload holds a ChildReapingPause).
//
// - MemoryHog keeps `bytes` of anonymous memory allocated and touched, in 2 MiB chunks, and keeps
//   the allocator busy by unmapping its oldest chunk and mapping and touching a new one, over and
//   over, so free memory stays near exhaustion for as long as it lives. Its oom_score_adj is 1000:
//   when the kernel must kill, it kills the hog, never the agent (whose score the workload sets to
//   -1000: the death of PID 1 is a kernel panic).
// - A churn task is a small task (oom_score_adj 500) that lives in the churned cpusets: it touches
//   its pages every few milliseconds (so memory_migrate has pages to move and the task allocates
//   inside changing cpusets). A short-lived one touches its pages once when told and exits, emptying its
//   cpuset from the exit path (notify_on_release).

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>

#include "common/forked_child.hpp"

namespace numalab::guest {

// Writes /proc/PID/oom_score_adj (pid 0: the agent itself).
std::expected<void, std::string> set_oom_score_adj(pid_t pid, int value);

// Waits for the byte a hog or a long-lived churn task writes once its memory is touched: true
// when it came, false on end of file or timeout.
bool wait_byte(ForkedChild& child, std::chrono::milliseconds timeout);

// A counter in a page shared with forked children (MAP_SHARED): a child counts its progress in it
// and the agent reads it, even when the child is stuck or has been killed.
class SharedCounter {
 public:
  SharedCounter();
  ~SharedCounter();
  SharedCounter(const SharedCounter&) = delete;
  SharedCounter& operator=(const SharedCounter&) = delete;

  // nullptr when the page could not be mapped (the counter then stays unavailable).
  std::atomic<std::uint64_t>* get() const { return value_; }

 private:
  std::atomic<std::uint64_t>* value_ = nullptr;
};

// The hog, allocating `bytes`; it writes a byte once all of it is touched. It adds one to `chunks`
// (if given) for every 2 MiB chunk it has mapped and touched, while filling and while cycling.
std::expected<ForkedChild, std::string> start_memory_hog(std::size_t bytes,
                                                         std::atomic<std::uint64_t>* chunks = nullptr);

// A churn task with `pages` pages. A long-lived one writes a byte once its pages are touched and
// then keeps touching them until stopped; a short-lived one waits for a byte, touches its pages
// and exits.
std::expected<ForkedChild, std::string> start_churn_task(std::size_t pages, bool short_lived);

}  // namespace numalab::guest
