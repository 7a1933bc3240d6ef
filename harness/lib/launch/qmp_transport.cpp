#include "launch/qmp_transport.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace numalab::launch {

namespace {

// One send of `bytes`; `passed` (when not -1) travels with them as SCM_RIGHTS.
ssize_t send_once(int fd, std::string_view bytes, int passed) {
  if (passed < 0) return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  iovec iov{const_cast<char*>(bytes.data()), bytes.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &passed, sizeof(int));
  return ::sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
}

// Sends all of `bytes`, `passed` with the first of them, waiting for room until the deadline.
util::Result<void> send_all(int fd, std::string_view bytes, int passed, util::Deadline deadline) {
  while (!bytes.empty()) {
    ssize_t n = send_once(fd, bytes, passed);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      passed = -1;  // the descriptor went with the first byte
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (deadline.expired()) return util::fail(util::ErrorKind::cannot_run, "write timed out");
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, deadline.poll_timeout_ms());
      continue;
    }
    const std::string what = passed < 0 ? "write" : "send with file descriptor " + std::to_string(passed);
    return util::fail(util::ErrorKind::cannot_run, what + ": " + util::errno_text(errno));
  }
  return {};
}

}  // namespace

util::Result<void> write_all(int fd, std::string_view bytes, util::Deadline deadline) {
  return send_all(fd, bytes, -1, deadline);
}

util::Result<void> write_all_with_fd(int fd, std::string_view bytes, int passed, util::Deadline deadline) {
  if (bytes.empty())
    return util::fail(util::ErrorKind::internal, "a file descriptor needs bytes to travel with");
  return send_all(fd, bytes, passed, deadline);
}

util::Result<void> QmpTransport::write_line_with_fd(std::string_view, int) {
  return util::fail(util::ErrorKind::internal, "this QMP transport cannot pass file descriptors");
}

util::Result<void> SocketQmpTransport::write_line_with_fd(std::string_view line, int fd) {
  std::string buf(line);
  buf += '\n';
  return write_all_with_fd(fd_.get(), buf, fd, util::Deadline::after(std::chrono::seconds(5)));
}

util::Result<void> SocketQmpTransport::write_line(std::string_view line) {
  std::string buf(line);
  buf += '\n';
  return write_all(fd_.get(), buf, util::Deadline::after(std::chrono::seconds(5)));
}

util::Result<std::optional<std::string>> SocketQmpTransport::read_line(util::Deadline deadline) {
  for (;;) {
    if (next_ < ready_.size()) return std::optional<std::string>(std::move(ready_[next_++]));
    ready_.clear();
    next_ = 0;
    pollfd p{fd_.get(), POLLIN, 0};
    int r = ::poll(&p, 1, deadline.poll_timeout_ms());
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) return std::optional<std::string>();
    char buf[8192];
    ssize_t n = ::recv(fd_.get(), buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return util::fail(util::ErrorKind::cannot_run, "QMP connection closed");
    ready_ = lines_.feed({buf, static_cast<std::size_t>(n)});
  }
}

}  // namespace numalab::launch
