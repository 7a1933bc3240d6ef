#include "launch/startup_cache.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>  // renameat2
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <optional>
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
  std::string tmpl = (root_ / (".draft-" + key + "-" + std::to_string(::getpid()) + "-XXXXXX")).string();
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

namespace {

// The process id in a draft's name, when the name is a draft's: ".draft-KEY-PID-XXXXXX".
std::optional<pid_t> draft_owner(const std::string& name) {
  constexpr std::string_view prefix = ".draft-";
  if (!name.starts_with(prefix)) return std::nullopt;
  const auto key_end = name.find('-', prefix.size());
  if (key_end == std::string::npos || !is_key(name.substr(prefix.size(), key_end - prefix.size())))
    return std::nullopt;
  const auto pid_end = name.find('-', key_end + 1);
  if (pid_end == std::string::npos || name.size() - pid_end - 1 != 6) return std::nullopt;
  pid_t pid = 0;
  const char* first = name.data() + key_end + 1;
  const char* last = name.data() + pid_end;
  auto [end, ec] = std::from_chars(first, last, pid);
  if (ec != std::errc() || end != last || pid <= 0) return std::nullopt;
  return pid;
}

bool process_gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

}  // namespace

std::vector<std::filesystem::path> StartupCache::remove_abandoned_drafts() const {
  std::vector<std::filesystem::path> removed;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(root_, ec)) {
    const auto owner = draft_owner(e.path().filename().string());
    if (!owner || !process_gone(*owner)) continue;  // our own draft: we are alive
    std::error_code rm;
    std::filesystem::remove_all(e.path(), rm);
    if (!rm) removed.push_back(e.path());
  }
  return removed;
}

std::vector<StartupEntry> StartupCache::prune(std::size_t keep) const {
  remove_abandoned_drafts();
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
