#include "util/file_lock.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>

#include <cerrno>

namespace numalab::util {

Result<FileLock> FileLock::try_acquire(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return fail(ErrorKind::cannot_run, "open " + path.string() + ": " + errno_text(errno));
  for (;;) {
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return FileLock(std::move(fd));
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) return FileLock(UniqueFd());
    return fail(ErrorKind::cannot_run, "flock " + path.string() + ": " + errno_text(errno));
  }
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
