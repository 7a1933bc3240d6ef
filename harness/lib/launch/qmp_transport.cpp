#include "launch/qmp_transport.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace numalab::launch {

util::Result<void> write_all(int fd, std::string_view bytes, util::Deadline deadline) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (deadline.expired()) return util::fail(util::ErrorKind::cannot_run, "write timed out");
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, deadline.poll_timeout_ms());
      continue;
    }
    return util::fail(util::ErrorKind::cannot_run, "write: " + util::errno_text(errno));
  }
  return {};
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
