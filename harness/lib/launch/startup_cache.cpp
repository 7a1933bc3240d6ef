#include "launch/startup_cache.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2

#include <algorithm>
#include <cerrno>
#include <vector>

#include "util/cache_dir.hpp"
#include "util/cache_prune.hpp"

namespace numalab::launch {

using util::ErrorKind;
using util::fail;

namespace {

// Keys are startup_key()'s hex digits; anything else never names a folder.
bool is_key(const std::string& key) {
  return !key.empty() && key.size() <= 64 && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

std::optional<StartupEntry> read_entry(const std::filesystem::path& dir) {
  auto record = read_startup_record(dir);
  if (!record) return std::nullopt;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir / k_startup_state_file, ec)) return std::nullopt;
  return StartupEntry{dir, std::move(*record)};
}

}  // namespace

StartupDraft::StartupDraft(StartupDraft&& o) noexcept : key_(std::move(o.key_)), dir_(std::move(o.dir_)) {
  o.dir_.clear();
}

StartupDraft::~StartupDraft() {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

StartupCache StartupCache::in_user_cache() { return StartupCache(util::cache_dir() / "startup"); }

util::Result<StartupDraft> StartupCache::begin(const std::string& key) const {
  if (!is_key(key)) return fail(ErrorKind::internal, "not a startup cache key: \"" + key + "\"");
  std::error_code ec;
  std::filesystem::create_directories(root_, ec);
  if (ec) return fail(ErrorKind::cannot_run, "cannot create " + root_.string() + ": " + ec.message());
  // Beside the entries (one file system, so the commit is a rename), hidden from list().
  std::string tmpl = (root_ / (".draft-" + key + "-XXXXXX")).string();
  if (!::mkdtemp(tmpl.data()))  // 0700
    return fail(ErrorKind::cannot_run,
                "cannot create a folder in " + root_.string() + ": " + util::errno_text(errno));
  return StartupDraft(key, tmpl);
}

util::Result<StartupEntry> StartupCache::commit(StartupDraft draft, StartupRecord record) const {
  record.key = draft.key();
  if (auto w = write_startup_record(draft.dir(), record); !w) return std::unexpected(w.error());
  const auto target = root_ / draft.key();
  if (::renameat2(AT_FDCWD, draft.dir().c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
    StartupEntry entry{target, std::move(record)};
    draft.dir_.clear();  // it is the entry now
    return entry;
  }
  const int err = errno;
  if (err != EEXIST && err != ENOTEMPTY)
    return fail(ErrorKind::cannot_run, "cannot rename " + draft.dir().string() + " to " + target.string() +
                                           ": " + util::errno_text(err));
  // Another run saved this key first: its entry stands, this draft goes with `draft`.
  if (auto other = find(draft.key())) return *other;
  return fail(ErrorKind::cannot_run,
              target.string() + " is in the way and is not a startup cache entry; remove it");
}

std::optional<StartupEntry> StartupCache::find(const std::string& key) const {
  if (!is_key(key)) return std::nullopt;
  return read_entry(root_ / key);
}

std::vector<StartupEntry> StartupCache::list() const {
  std::vector<StartupEntry> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(root_, ec)) {
    const auto name = e.path().filename().string();
    if (!is_key(name)) continue;  // drafts under way, or not ours
    if (auto entry = read_entry(e.path())) out.push_back(std::move(*entry));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.record.created_at > b.record.created_at; });
  return out;
}

std::vector<StartupEntry> StartupCache::prune(std::size_t keep) const {
  auto entries = list();
  std::vector<util::CachedFolder> folders;
  for (const auto& e : entries) folders.push_back({e.dir, "", e.record.created_at});
  auto gone = util::prune_folders(std::move(folders), [&](const std::string&) { return keep; });
  std::vector<StartupEntry> removed;
  for (const auto& g : gone)
    for (auto& e : entries)
      if (e.dir == g.dir) removed.push_back(std::move(e));
  return removed;
}

}  // namespace numalab::launch
