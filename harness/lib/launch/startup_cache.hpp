#pragma once
// The startup cache (issue 17): booted guests saved after their agent's hello, restored instead of
// booted. CACHE/startup/KEY/ (KEY: startup_key()) holds one RAM file per node with memory (nodeN,
// see RamFiles), the migration stream (state, see vm_snapshot.hpp) and entry.json (StartupRecord).
//
// An entry is made in a draft folder beside the entries and renamed into place whole, so a reader
// sees a complete entry or none. When two runs save the same key at once, the first rename wins and
// the other's draft is removed. Runs map the RAM files copy-on-write and never write to an entry.
// Old entries are pruned to the newest N, with the kernel cache's pruner.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "launch/qemu_argv.hpp"
#include "launch/startup_record.hpp"
#include "util/error.hpp"

namespace numalab::launch {

inline constexpr const char* k_startup_state_file = "state";

struct StartupEntry {
  std::filesystem::path dir;
  StartupRecord record;

  // For the QEMU that restores it: the saved RAM, mapped copy-on-write.
  RamFiles ram_files() const { return {dir, true}; }
  std::filesystem::path state_file() const { return dir / k_startup_state_file; }
};

// An entry being made: a private folder where the booting QEMU keeps the guest's RAM (share=on) and
// the save writes its stream. Removed with everything in it unless committed.
class StartupDraft {
 public:
  StartupDraft(StartupDraft&& o) noexcept;
  StartupDraft& operator=(StartupDraft&&) = delete;
  StartupDraft(const StartupDraft&) = delete;
  ~StartupDraft();

  const std::string& key() const { return key_; }
  const std::filesystem::path& dir() const { return dir_; }
  RamFiles ram_files() const { return {dir_, false}; }
  std::filesystem::path state_file() const { return dir_ / k_startup_state_file; }

 private:
  friend class StartupCache;
  StartupDraft(std::string key, std::filesystem::path dir) : key_(std::move(key)), dir_(std::move(dir)) {}
  std::string key_;
  std::filesystem::path dir_;
};

class StartupCache {
 public:
  explicit StartupCache(std::filesystem::path root) : root_(std::move(root)) {}
  // util::cache_dir() / "startup".
  static StartupCache in_user_cache();
  const std::filesystem::path& root() const { return root_; }

  // A new draft for `key` (the root is created when missing).
  util::Result<StartupDraft> begin(const std::string& key) const;
  // Writes entry.json (`record`, its key set to the draft's) into the draft and renames the draft to
  // ROOT/KEY. When an entry for the key exists already, it stays, the draft is removed, and that
  // entry is returned.
  util::Result<StartupEntry> commit(StartupDraft draft, StartupRecord record) const;
  // The entry of `key`, when one is complete.
  std::optional<StartupEntry> find(const std::string& key) const;
  // Every complete entry, newest first.
  std::vector<StartupEntry> list() const;
  // Keeps the `keep` newest entries and removes the others; returns what it removed. Abandoned
  // drafts go too (remove_abandoned_drafts).
  std::vector<StartupEntry> prune(std::size_t keep) const;
  // Removes the drafts whose numalab is gone (killed while its guest booted: a draft's name
  // carries its process id, ".draft-KEY-PID-XXXXXX"); returns their folders. A draft of a live
  // process, and a folder whose name is not a draft's, stay.
  std::vector<std::filesystem::path> remove_abandoned_drafts() const;

 private:
  std::filesystem::path root_;
};

}  // namespace numalab::launch
