#pragma once
// The one kind of worker process the agent forks (and does not exec): a child with two pipes,
// control (agent -> child) and report (child -> agent), owned by a move-only ForkedChild that kills
// and reaps it on every path out. Fork-and-exec of a program with a log is guest_program.hpp.
//
// The child side: after fork in the multi-threaded agent the child may only call async-signal-safe
// functions until it _exits. start() itself only closes the parent's two ends in the child (close(2))
// and calls `child(control_read_fd, report_write_fd)`, which must end with _exit; if it returns,
// the child exits with 1. No destructor runs in the child.
//
// The parent side reaps its child itself (reap_child, child_end.hpp): hold a ChildReapingPause
// while a ForkedChild lives, or init's SIGCHLD handler may reap it first (it is then lost).
//
// A child stuck in the kernel (state D: the trigger's writer after a deadlock, a hog waiting for a
// hung NFS server) cannot die, even of SIGKILL, until the kernel lets it go. kill_and_reap waits for
// it only so long: past its bound the child is abandoned, forgotten here with the SIGKILL pending.
// Should it ever leave the kernel it dies, and as the agent's zombie it is reaped by init (the
// SIGCHLD handler, or the ChildReapingPause on its way out); should it never, the machine is
// powered off with it. The agent is never blocked on it.

#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <utility>

#include "common/child_end.hpp"
#include "util/deadline.hpp"
#include "util/unique_fd.hpp"

namespace numalab::guest {

// What read_report found: the whole record; the end of the pipe first (the child has gone, or
// closed its end); nothing by the deadline; or poll(2) failing with `error`.
struct ReportRead {
  enum Kind { whole, ended, timed_out, failed };
  Kind kind = whole;
  int error = 0;
};

class ForkedChild {
 public:
  // Forks `child` with its two pipes; "pipe: ..." or "fork: ..." when it cannot.
  template <class Child>
  static std::expected<ForkedChild, std::string> start(Child&& child) {
    int control[2], report[2];
    auto pid = fork_with_pipes(control, report);
    if (!pid) return std::unexpected(pid.error());
    if (*pid == 0) {
      child(control[0], report[1]);
      ::_exit(1);
    }
    return ForkedChild(*pid, control[1], report[0]);
  }

  ForkedChild() = default;
  ForkedChild(ForkedChild&& other) noexcept;
  // The child this one held is killed and reaped first.
  ForkedChild& operator=(ForkedChild&& other) noexcept;
  ForkedChild(const ForkedChild&) = delete;
  ForkedChild& operator=(const ForkedChild&) = delete;
  ~ForkedChild() { kill_and_reap(); }  // bounded by k_kill_bound (child_end.hpp)

  // The child's PID while it is this object's and not reaped; -1 after (and with no child).
  pid_t pid() const { return pid_; }
  // The agent's ends, until closed; -1 after. They stay open once the child is reaped, for its
  // last records.
  int control_fd() const { return control_.get(); }
  int report_fd() const { return report_.get(); }
  void close_control() { control_.reset(); }
  void close_report() { report_.reset(); }

  // Writes one byte to the control pipe (again after EINTR); false, with errno set, when it
  // could not (or when the control end is closed).
  bool tell(char command);
  // Reads `size` bytes from the report pipe (in as many reads as it takes) by the deadline.
  ReportRead read_report(void* out, std::size_t size, util::Deadline deadline);

  // How the child ended, once it has: reaped by the first call that finds it exited (WNOHANG),
  // then the same each time. nullopt while it runs (and with no child, or an abandoned one).
  std::optional<ChildEnd> try_reap() { return wait(no_wait()); }
  // Reaps it if it has exited; true while it runs.
  bool running() {
    try_reap();
    return pid_ > 0;
  }
  // Waits for the child to exit by itself until the deadline, as try_reap.
  std::optional<ChildEnd> wait(util::Deadline deadline);
  // SIGKILL (unless it has already exited), then waits up to `bound` for it: how it ended, or
  // nullopt when it was abandoned, stuck in the kernel (see above). Idempotent.
  std::optional<ChildEnd> kill_and_reap(std::chrono::milliseconds bound = k_kill_bound);

 private:
  ForkedChild(pid_t pid, int control_fd, int report_fd)
      : pid_(pid), control_(control_fd), report_(report_fd) {}
  // pipe2 twice and fork. In the parent: the child's PID, the child's ends closed. In the child: 0,
  // the parent's ends closed. On failure everything is closed.
  static std::expected<pid_t, std::string> fork_with_pipes(int (&control)[2], int (&report)[2]);

  pid_t pid_ = -1;
  util::UniqueFd control_;  // the agent writes here
  util::UniqueFd report_;   // the agent reads here
  std::optional<ChildEnd> end_;
};

}  // namespace numalab::guest
