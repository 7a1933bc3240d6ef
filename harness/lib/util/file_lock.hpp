#pragma once
// An exclusive advisory lock (flock(2)) on a file, held while the object lives. The kernel drops it
// when the process dies, so a crashed or killed holder never leaves a stale lock behind.

#include <chrono>
#include <filesystem>
#include <functional>

#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace numalab::util {

class FileLock {
 public:
  // Takes the lock on `path` (created if missing), waiting for as long as another process holds
  // it; `on_wait` is called once, before the first wait, so the user knows why nothing moves.
  static Result<FileLock> acquire(const std::filesystem::path& path,
                                  const std::function<void()>& on_wait = {},
                                  std::chrono::milliseconds retry = std::chrono::milliseconds(500));
  // Takes it only if it is free now; an empty lock (held() false) when another process has it.
  static Result<FileLock> try_acquire(const std::filesystem::path& path);

  bool held() const { return fd_.valid(); }

 private:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace numalab::util
