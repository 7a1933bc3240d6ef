#pragma once
// The processes of the cpuset-churn workload, forked from the agent. Each only touches memory,
// makes system calls and ends with _exit; none outlives its owner (killed and reaped on
// destruction: the workload holds a ChildReapingPause).
//
// - MemoryHog keeps `bytes` of anonymous memory allocated and touched, in 2 MiB chunks, and keeps
//   the allocator busy by unmapping its oldest chunk and mapping and touching a new one, over and
//   over, so free memory stays near exhaustion for as long as it lives. Its oom_score_adj is 1000:
//   when the kernel must kill, it kills the hog, never the agent (whose score the workload sets to
//   -1000: the death of PID 1 is a kernel panic).
// - A churn task is a small task (oom_score_adj 500) that lives in the churned cpusets: it touches its pages
// every few
//   milliseconds (so memory_migrate has pages to move and the task allocates inside changing
//   cpusets). A short-lived one touches its pages once when told and exits, emptying its cpuset
//   from the exit path (notify_on_release).

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>

namespace numalab::guest {

// Writes /proc/PID/oom_score_adj (pid 0: the agent itself).
std::expected<void, std::string> set_oom_score_adj(pid_t pid, int value);

// A forked child with a control pipe (commands to it) and a report pipe (bytes from it).
class ChildHandle {
 public:
  ChildHandle() = default;
  ChildHandle(pid_t pid, int control_fd, int report_fd)
      : pid_(pid), control_fd_(control_fd), report_fd_(report_fd) {}
  ~ChildHandle() { stop(); }
  ChildHandle(ChildHandle&& other) noexcept;
  ChildHandle& operator=(ChildHandle&& other) noexcept;
  ChildHandle(const ChildHandle&) = delete;
  ChildHandle& operator=(const ChildHandle&) = delete;

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  // Sends one command byte.
  bool tell(char command);
  // Waits for one byte from the child: true when it came, false on end of file or timeout.
  bool wait_byte(std::chrono::milliseconds timeout);
  // Has the child exited? Reaps it if so (its pid is then forgotten).
  bool exited();
  // Waits for the child to exit by itself; true when it did in time (it is then reaped).
  bool wait_exit(std::chrono::milliseconds timeout);
  // SIGKILL and reap. Idempotent.
  void stop();

 private:
  pid_t pid_ = -1;
  int control_fd_ = -1;
  int report_fd_ = -1;
};

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
std::expected<ChildHandle, std::string> start_memory_hog(std::size_t bytes,
                                                         std::atomic<std::uint64_t>* chunks = nullptr);

// A churn task with `pages` pages. A long-lived one writes a byte once its pages are touched and
// then keeps touching them until stopped; a short-lived one waits for a byte, touches its pages
// and exits.
std::expected<ChildHandle, std::string> start_churn_task(std::size_t pages, bool short_lived);

}  // namespace numalab::guest
