#include "util/cache_prune.hpp"

#include <algorithm>
#include <map>

namespace numalab::util {

std::vector<CachedFolder> prune_folders(std::vector<CachedFolder> folders,
                                        const std::function<std::size_t(const std::string& group)>& places) {
  std::stable_sort(folders.begin(), folders.end(),
                   [](const CachedFolder& a, const CachedFolder& b) { return a.created_at > b.created_at; });
  std::map<std::string, std::size_t> kept;
  std::vector<CachedFolder> removed;
  for (auto& f : folders) {
    if (kept[f.group] < places(f.group)) {
      ++kept[f.group];
      continue;
    }
    std::error_code ec;
    std::filesystem::remove_all(f.dir, ec);
    removed.push_back(std::move(f));
  }
  return removed;
}

std::uint64_t folder_bytes(const std::filesystem::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  return total;
}

}  // namespace numalab::util
