#pragma once
// The one child-process class. Starts a program from an argv vector (never a shell string), in its
// own process group, with a parent-death signal, with only the file descriptors it is given, and
// on destruction stops it in steps (SIGTERM to the group, then SIGKILL), each with a deadline.
// The polite first step (QMP quit for QEMU) belongs to whoever speaks the child's protocol.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/deadline.hpp"
#include "util/error.hpp"

namespace numalab::util {

struct ChildOptions {
  std::filesystem::path stdout_path;  // empty: /dev/null
  int stdout_fd = -1;                 // if set, used instead of stdout_path (e.g. a pipe)
  std::filesystem::path stderr_path;  // empty: /dev/null; may equal stdout_path
  std::filesystem::path working_dir;  // empty: inherit
  std::vector<int> keep_fds;          // passed to the child under the same numbers
  std::vector<std::string> env;       // "NAME=value" set in the child on top of this environment
};

// How a child ended: exactly one of exit_code and signal is set.
struct ExitStatus {
  std::optional<int> exit_code;
  std::optional<int> signal;
  std::string to_string() const;  // "exit 0", "signal 9 (Killed)"
};

class ChildProcess {
 public:
  static Result<ChildProcess> spawn(const std::vector<std::string>& argv, const ChildOptions& opts);

  ChildProcess(ChildProcess&& o) noexcept;
  ChildProcess& operator=(ChildProcess&& o) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // stop(): SIGTERM, 3 s, SIGKILL

  pid_t pid() const { return pid_; }
  bool running();  // reaps it if it has exited
  std::optional<ExitStatus> exit_status() const { return status_; }
  // Waits for the child to exit on its own until the deadline; nullopt if it is still running.
  std::optional<ExitStatus> wait_until(Deadline deadline);
  void signal_group(int sig);
  // SIGTERM to the group; after term_grace SIGKILL; then reaps. Idempotent.
  ExitStatus stop(std::chrono::milliseconds term_grace = std::chrono::seconds(3));

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  bool try_reap();
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

// Runs a program to completion and returns its standard output (bounded), for short helper tools
// such as `qemu-system-x86_64 --version`. Fails with cannot_run if it does not start or exits non-zero.
Result<std::string> capture_output(const std::vector<std::string>& argv, Deadline deadline,
                                   std::size_t max_bytes = 1 << 20);

}  // namespace numalab::util
