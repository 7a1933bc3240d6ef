#include "common/net_load.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

#include "workload/common/net_address.hpp"

namespace numalab::guest {

namespace {

constexpr std::size_t k_chunk = 64 * 1024;
constexpr int k_poll_ms = 200;
constexpr int k_connect_ms = 5000;

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

sockaddr_in address_of(const workload::Ipv4& ip, std::uint16_t port) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  std::memcpy(&sin.sin_addr, ip.data(), ip.size());
  return sin;
}

}  // namespace

std::expected<std::unique_ptr<NetLoadSource>, std::string> NetLoadSource::listen(std::uint16_t port) {
  util::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return std::unexpected(errno_text("socket"));
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sin = address_of({0, 0, 0, 0}, port);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sin), sizeof sin) != 0)
    return std::unexpected(errno_text(("bind to port " + std::to_string(port)).c_str()));
  if (::listen(fd.get(), k_max_clients) != 0) return std::unexpected(errno_text("listen"));
  return std::unique_ptr<NetLoadSource>(new NetLoadSource(std::move(fd)));
}

NetLoadSource::NetLoadSource(util::UniqueFd listener) : listener_(std::move(listener)) {
  thread_ = std::thread([this] { run(); });
}

NetLoadSource::~NetLoadSource() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void NetLoadSource::run() {
  std::vector<util::UniqueFd> clients;
  std::vector<char> chunk(k_chunk, 'n');
  while (!stop_) {
    std::vector<pollfd> fds;
    fds.push_back({listener_.get(), POLLIN, 0});
    for (const auto& c : clients) fds.push_back({c.get(), POLLOUT, 0});
    if (::poll(fds.data(), fds.size(), k_poll_ms) < 0 && errno != EINTR) return;
    std::vector<bool> drop(clients.size(), false);
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) {
        drop[i - 1] = true;
      } else if (fds[i].revents & POLLOUT) {
        const ssize_t n = ::send(fds[i].fd, chunk.data(), chunk.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0)
          sent_ += static_cast<std::uint64_t>(n);
        else if (n < 0 && errno != EAGAIN && errno != EINTR)
          drop[i - 1] = true;
      }
    }
    for (std::size_t i = clients.size(); i-- > 0;)
      if (drop[i]) clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i));
    if (fds[0].revents & POLLIN) {
      util::UniqueFd c(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
      if (c && clients.size() < static_cast<std::size_t>(k_max_clients)) {
        clients.push_back(std::move(c));
        ++accepted_;
      }
    }
  }
}

std::expected<std::unique_ptr<NetLoadSink>, std::string> NetLoadSink::connect(const std::string& ipv4,
                                                                              std::uint16_t port) {
  auto ip = workload::parse_ipv4(ipv4);
  if (!ip) return std::unexpected("not an IPv4 address: " + ipv4.substr(0, 64));
  const std::string where = ipv4 + ":" + std::to_string(port);
  util::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return std::unexpected(errno_text("socket"));
  sockaddr_in sin = address_of(*ip, port);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&sin), sizeof sin) != 0) {
    if (errno != EINPROGRESS) return std::unexpected(errno_text(("connect to " + where).c_str()));
    pollfd p{fd.get(), POLLOUT, 0};
    const int r = ::poll(&p, 1, k_connect_ms);
    if (r == 0)
      return std::unexpected("connect to " + where + ": no answer in " + std::to_string(k_connect_ms / 1000) +
                             " s");
    int err = 0;
    socklen_t len = sizeof err;
    if (r < 0 || ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
      errno = err != 0 ? err : errno;
      return std::unexpected(errno_text(("connect to " + where).c_str()));
    }
  }
  return std::unique_ptr<NetLoadSink>(new NetLoadSink(std::move(fd)));
}

NetLoadSink::NetLoadSink(util::UniqueFd fd) : fd_(std::move(fd)) {
  thread_ = std::thread([this] { run(); });
}

NetLoadSink::~NetLoadSink() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::string NetLoadSink::ended() const { return ended_flag_.load() ? ended_ : std::string(); }

void NetLoadSink::run() {
  std::vector<char> buffer(k_chunk);
  while (!stop_) {
    pollfd p{fd_.get(), POLLIN, 0};
    const int r = ::poll(&p, 1, k_poll_ms);
    if (r < 0 && errno != EINTR) {
      ended_ = errno_text("poll");
      break;
    }
    if (r <= 0) continue;
    const ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n > 0) {
      received_ += static_cast<std::uint64_t>(n);
    } else if (n == 0) {
      ended_ = "the server closed the connection";
      break;
    } else if (errno != EAGAIN && errno != EINTR) {
      ended_ = errno_text("recv");
      break;
    }
  }
  ended_flag_ = true;
}

}  // namespace numalab::guest
