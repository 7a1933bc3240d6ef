#include "link/agent_port.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "init/console.hpp"

namespace numalab::guest {

namespace {

// How long to wait before looking again at a port whose host end is not connected.
constexpr auto k_disconnected_retry = std::chrono::milliseconds(50);

}  // namespace

bool AgentPort::send(const agent::GuestMessage& m) {
  std::string line = agent::encode(m);
  line += '\n';
  std::lock_guard lock(write_mutex_);
  return write_line(line);
}

bool AgentPort::write_line(const std::string& line) {
  std::string_view rest = line;
  while (!rest.empty()) {
    ssize_t n = ::write(fd_.get(), rest.data(), rest.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      if (!reported_write_failure_)
        say(std::string("writing to the agent port failed: ") +
            (n < 0 ? std::strerror(errno) : "wrote 0 bytes"));
      reported_write_failure_ = true;
      return false;
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::expected<std::string, std::string> AgentPort::read_line(util::Deadline deadline) {
  char buf[4096];
  while (pending_.empty()) {
    pollfd p{fd_.get(), POLLIN, 0};
    int ready = ::poll(&p, 1, deadline.poll_timeout_ms());
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return std::unexpected(std::string("poll: ") + std::strerror(errno));
    if (ready == 0 || deadline.expired())
      return std::unexpected(std::string("no line from the host in time"));
    ssize_t n = (p.revents & POLLIN) ? ::read(fd_.get(), buf, sizeof buf) : 0;
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return std::unexpected(std::string("read: ") + std::strerror(errno));
    if (n == 0) {  // host end not connected (POLLHUP) or closed
      std::this_thread::sleep_for(k_disconnected_retry);
      continue;
    }
    for (auto& line : lines_.feed(std::string_view(buf, static_cast<std::size_t>(n))))
      pending_.push_back(std::move(line));
  }
  std::string line = std::move(pending_.front());
  pending_.pop_front();
  return line;
}

}  // namespace numalab::guest
