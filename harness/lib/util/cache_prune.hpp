#pragma once
// The one pruner of numalab's caches of folders (built kernels, booted guests): keep the newest
// few of each group, remove the rest whole.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace numalab::util {

struct CachedFolder {
  std::filesystem::path dir;
  std::string group;       // folders of one group compete for its places (a kernel's name)
  std::string created_at;  // ISO 8601 UTC ("2026-11-22T07:04:05Z"): sorts as text
};

// Keeps the `places(group)` newest folders of every group and removes the others (remove_all; one
// that cannot be removed is still returned). Returns the removed ones, newest first.
std::vector<CachedFolder> prune_folders(std::vector<CachedFolder> folders,
                                        const std::function<std::size_t(const std::string& group)>& places);

// The bytes of the regular files under `dir`; what cannot be read counts nothing.
std::uint64_t folder_bytes(const std::filesystem::path& dir);

}  // namespace numalab::util
