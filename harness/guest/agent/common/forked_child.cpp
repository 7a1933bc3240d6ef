#include "common/forked_child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>

#include <cerrno>
#include <cstring>

namespace numalab::guest {

std::expected<pid_t, std::string> ForkedChild::fork_with_pipes(int (&control)[2], int (&report)[2]) {
  if (::pipe2(control, O_CLOEXEC) != 0) return std::unexpected(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(report, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(control[0]);
    ::close(control[1]);
    return std::unexpected(std::string("pipe: ") + std::strerror(e));
  }
  const pid_t pid = ::fork();
  if (pid == 0) {  // the child: close(2) only
    ::close(control[1]);
    ::close(report[0]);
    return 0;
  }
  const int e = errno;
  ::close(control[0]);
  ::close(report[1]);
  if (pid < 0) {
    ::close(control[1]);
    ::close(report[0]);
    return std::unexpected(std::string("fork: ") + std::strerror(e));
  }
  return pid;
}

ForkedChild::ForkedChild(ForkedChild&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      control_(std::move(other.control_)),
      report_(std::move(other.report_)),
      end_(std::exchange(other.end_, std::nullopt)) {}

ForkedChild& ForkedChild::operator=(ForkedChild&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    pid_ = std::exchange(other.pid_, -1);
    control_ = std::move(other.control_);
    report_ = std::move(other.report_);
    end_ = std::exchange(other.end_, std::nullopt);
  }
  return *this;
}

bool ForkedChild::tell(char command) {
  if (!control_) {
    errno = EBADF;
    return false;
  }
  for (;;) {
    const ssize_t n = ::write(control_.get(), &command, 1);
    if (n < 0 && errno == EINTR) continue;
    return n == 1;
  }
}

ReportRead ForkedChild::read_report(void* out, std::size_t size, util::Deadline deadline) {
  auto* at = static_cast<char*>(out);
  std::size_t got = 0;
  while (got < size) {
    if (!report_) return {ReportRead::ended};
    pollfd p{report_.get(), POLLIN, 0};
    const int ready = ::poll(&p, 1, deadline.poll_timeout_ms());
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return {ReportRead::failed, errno};
    if (ready == 0) return {ReportRead::timed_out};
    const ssize_t n = ::read(report_.get(), at + got, size - got);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return {ReportRead::ended};
    got += static_cast<std::size_t>(n);
  }
  return {ReportRead::whole};
}

std::optional<ChildEnd> ForkedChild::wait(util::Deadline deadline) {
  if (pid_ <= 0) return end_;
  end_ = reap_child(pid_, deadline);
  if (end_) pid_ = -1;
  return end_;
}

std::optional<ChildEnd> ForkedChild::kill_and_reap(std::chrono::milliseconds bound) {
  if (pid_ <= 0) return end_;
  if (auto end = try_reap()) return end;  // exited already: nothing to kill (its PID may be reused)
  ::kill(pid_, SIGKILL);
  if (auto end = wait(util::Deadline::after(bound))) return end;
  pid_ = -1;  // stuck in the kernel: abandoned (see forked_child.hpp)
  return std::nullopt;
}

}  // namespace numalab::guest
