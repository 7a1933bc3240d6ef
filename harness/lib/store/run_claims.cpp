#include "store/run_claims.hpp"

#include <unistd.h>

#include <charconv>

#include "util/file_contents.hpp"

namespace numalab::store {

namespace {

std::int64_t pid_in(const std::string& text) {
  std::int64_t pid = 0;
  std::from_chars(text.data(), text.data() + text.size(), pid);
  return pid > 0 ? pid : 0;
}

}  // namespace

std::filesystem::path RunClaims::lock_file(const std::string& run_id) const {
  return locks_dir_ / (run_id + ".lock");
}

util::Result<void> RunClaims::claim(const std::string& run_id) {
  if (locks_dir_.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(locks_dir_, ec);
  if (ec)
    return util::fail(util::ErrorKind::cannot_run,
                      "cannot create " + locks_dir_.string() + " (run ownership): " + ec.message());
  auto lock = util::FileLock::try_acquire(lock_file(run_id));
  if (!lock) return std::unexpected(lock.error());
  if (!lock->held())
    return util::fail(
        util::ErrorKind::cannot_run,
        "run " + run_id + " is already claimed by another process (" + lock_file(run_id).string() + ")");
  if (auto w = lock->write_text(std::to_string(::getpid()) + "\n"); !w) return w;
  held_.insert_or_assign(run_id, std::move(*lock));
  return {};
}

void RunClaims::release(const std::string& run_id) {
  const auto it = held_.find(run_id);
  if (it == held_.end()) return;
  std::error_code ec;
  std::filesystem::remove(lock_file(run_id), ec);  // while locked: nobody takes a file that is gone
  held_.erase(it);
}

std::optional<std::int64_t> RunClaims::take_over_if_gone(const std::string& run_id) {
  if (locks_dir_.empty() || held_.contains(run_id)) return std::nullopt;
  auto lock = util::FileLock::try_acquire_existing(lock_file(run_id));
  if (!lock || !lock->held()) return std::nullopt;  // a live owner, no lock file, or not ours to open
  const auto pid = pid_in(util::read_file(lock_file(run_id)).value_or(""));
  if (pid == ::getpid()) return std::nullopt;  // this process began it, through another store
  held_.insert_or_assign(run_id, std::move(*lock));
  return pid;
}

}  // namespace numalab::store
