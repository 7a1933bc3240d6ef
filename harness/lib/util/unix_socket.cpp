#include "util/unix_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace numalab::util {

namespace {

Result<sockaddr_un> address(const std::filesystem::path& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  const std::string s = path.string();
  if (s.size() > k_max_unix_path)
    return fail(ErrorKind::cannot_run,
                "socket path too long (" + std::to_string(s.size()) + " bytes, at most 107): " + s);
  std::memcpy(a.sun_path, s.c_str(), s.size() + 1);
  return a;
}

}  // namespace

Result<UniqueFd> listen_unix(const std::filesystem::path& path) {
  auto a = address(path);
  if (!a) return std::unexpected(a.error());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return fail(ErrorKind::cannot_run, "socket: " + errno_text(errno));
  ::unlink(path.c_str());
  const mode_t old = ::umask(0177);
  int r = ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&*a), sizeof *a);
  ::umask(old);
  if (r != 0 || ::listen(fd.get(), 4) != 0)
    return fail(ErrorKind::cannot_run, "listen on " + path.string() + ": " + errno_text(errno));
  return fd;
}

Result<UniqueFd> connect_unix(const std::filesystem::path& path) {
  auto a = address(path);
  if (!a) return std::unexpected(a.error());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return fail(ErrorKind::cannot_run, "socket: " + errno_text(errno));
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&*a), sizeof *a) != 0)
    return fail(ErrorKind::cannot_run, "connect to " + path.string() + ": " + errno_text(errno));
  return fd;
}

}  // namespace numalab::util
