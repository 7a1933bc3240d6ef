#pragma once
// Which numalab owns a run recorded as "running". The process that began the run holds an flock(2)
// on RESULTS/locks/NNNN.lock, with its pid written inside, until it records the run's end. The
// kernel drops the lock when that process dies, however it dies (SIGKILL, a crash, the OOM killer,
// a reboot), so a run whose lock can be taken has no owner any more, and one whose lock is held
// has a live one, in this process or any other, on this host or (through NFS locks) another. A
// pid and its start time would say the same only within one PID namespace: a container beside
// this one would see a live owner as gone. The pid is only for messages.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "util/error.hpp"
#include "util/file_lock.hpp"

namespace numalab::store {

class RunClaims {
 public:
  // `locks_dir` empty: nothing is claimed and no owner is ever gone (an in-memory database, which
  // no other process can see).
  explicit RunClaims(std::filesystem::path locks_dir) : locks_dir_(std::move(locks_dir)) {}

  // Claims a run for this process: creates and locks its lock file and writes the pid into it.
  util::Result<void> claim(const std::string& run_id);
  // Ends this process's claim on the run (its end is recorded): removes the lock file, then unlocks.
  void release(const std::string& run_id);
  // Unlocks without removing the lock file: the run stays claimable by the next one who looks.
  void let_go(const std::string& run_id) { held_.erase(run_id); }

  // For a run recorded as running: when its owner is gone, claims it (release it once the run is
  // marked) and returns the pid that owned it (0 when the lock file did not say). nullopt when its
  // owner lives, when this process wrote the lock file, and when the run has no lock file (a
  // numalab older than claims began it, or it is finishing now): such runs are never taken.
  std::optional<std::int64_t> take_over_if_gone(const std::string& run_id);

 private:
  std::filesystem::path lock_file(const std::string& run_id) const;

  std::filesystem::path locks_dir_;
  std::map<std::string, util::FileLock> held_;
};

}  // namespace numalab::store
