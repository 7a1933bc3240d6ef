#pragma once
// (Being replaced by ForkedChild, forked_child.hpp.) A worker forked from the agent with two pipes: control
// (agent -> child) and report (child -> agent). The child runs `child(control_read_fd, report_write_fd)` and
// must _exit(); if it returns, the child exits with 1. The parent keeps the other two ends.

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <expected>
#include <string>

namespace numalab::guest {

struct RawForkedChild {
  pid_t pid = -1;
  int control_fd = -1;  // the agent writes here
  int report_fd = -1;   // the agent reads here
};

template <class Child>
std::expected<RawForkedChild, std::string> fork_with_pipes(Child child) {
  int control[2], report[2];
  if (::pipe2(control, O_CLOEXEC) != 0) return std::unexpected(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(report, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(control[0]);
    ::close(control[1]);
    return std::unexpected(std::string("pipe: ") + std::strerror(e));
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(control[1]);
    ::close(report[0]);
    child(control[0], report[1]);
    ::_exit(1);
  }
  const int e = errno;
  ::close(control[0]);
  ::close(report[1]);
  if (pid < 0) {
    ::close(control[1]);
    ::close(report[0]);
    return std::unexpected(std::string("fork: ") + std::strerror(e));
  }
  return RawForkedChild{pid, control[1], report[0]};
}

}  // namespace numalab::guest
