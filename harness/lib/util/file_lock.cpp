#include "util/file_lock.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

namespace numalab::util {

Result<FileLock> FileLock::try_lock(UniqueFd fd, const std::filesystem::path& path) {
  for (;;) {
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return FileLock(std::move(fd), path);
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) return FileLock(UniqueFd(), path);
    return fail(ErrorKind::cannot_run, "flock " + path.string() + ": " + errno_text(errno));
  }
}

Result<FileLock> FileLock::try_acquire(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return fail(ErrorKind::cannot_run, "open " + path.string() + ": " + errno_text(errno));
  return try_lock(std::move(fd), path);
}

Result<FileLock> FileLock::try_acquire_existing(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd && errno == ENOENT) return FileLock(UniqueFd(), path);
  if (!fd) return fail(ErrorKind::cannot_run, "open " + path.string() + ": " + errno_text(errno));
  return try_lock(std::move(fd), path);
}

Result<void> FileLock::write_text(std::string_view text) const {
  auto cannot = [&] {
    return fail(ErrorKind::cannot_run, "cannot write " + path_.string() + ": " + errno_text(errno));
  };
  if (!held()) return fail(ErrorKind::internal, "writing " + path_.string() + " without holding its lock");
  if (::ftruncate(fd_.get(), 0) != 0) return cannot();
  for (off_t at = 0; !text.empty();) {
    const ssize_t n = ::pwrite(fd_.get(), text.data(), text.size(), at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return cannot();
    text.remove_prefix(static_cast<std::size_t>(n));
    at += n;
  }
  return {};
}

Result<FileLock> FileLock::acquire(const std::filesystem::path& path, const std::function<void()>& on_wait,
                                   std::chrono::milliseconds retry) {
  bool told = false;
  for (;;) {
    auto lock = try_acquire(path);
    if (!lock || lock->held()) return lock;
    if (!told && on_wait) on_wait();
    told = true;
    ::poll(nullptr, 0, static_cast<int>(retry.count()));
  }
}

}  // namespace numalab::util
