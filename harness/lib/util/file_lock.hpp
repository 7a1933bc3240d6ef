#pragma once
// An exclusive advisory lock (flock(2)) on a file, held while the object lives. The kernel drops it
// when the process dies, so a crashed or killed holder never leaves a stale lock behind.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string_view>

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
  // The same for a file that must exist already: an empty lock also when it does not.
  static Result<FileLock> try_acquire_existing(const std::filesystem::path& path);

  bool held() const { return fd_.valid(); }
  // Replaces the locked file's text (the holder's pid, say) through the lock's own descriptor: a
  // new file in its place (as util::write_file makes) would be a file nobody has locked.
  Result<void> write_text(std::string_view text) const;

 private:
  explicit FileLock(UniqueFd fd, std::filesystem::path path) : fd_(std::move(fd)), path_(std::move(path)) {}
  static Result<FileLock> try_lock(UniqueFd fd, const std::filesystem::path& path);
  UniqueFd fd_;
  std::filesystem::path path_;
};

}  // namespace numalab::util
