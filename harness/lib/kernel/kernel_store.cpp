#include "kernel/kernel_store.hpp"

#include <algorithm>

#include "kernel/build_record.hpp"
#include "util/cache_prune.hpp"

namespace numalab::kernel {

using util::folder_bytes;

std::vector<StoredKernel> list_built_kernels(const std::filesystem::path& cache_dir) {
  std::vector<StoredKernel> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(cache_dir / "kernels" / "built", ec)) {
    auto record = read_build_record(e.path());
    if (!record) continue;  // a build under way, or not ours
    const std::string key = record->key.empty() ? e.path().filename().string() : record->key;
    out.push_back({record->name, key, record->base, record->series, record->built_at, e.path(),
                   folder_bytes(e.path())});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.built_at > b.built_at; });
  return out;
}

std::vector<StoredKernel> prune_built_kernels(const std::filesystem::path& cache_dir,
                                              const std::set<std::string>& in_use) {
  // One place per name in use: its newest build.
  auto built = list_built_kernels(cache_dir);
  std::vector<util::CachedFolder> folders;
  for (const auto& k : built) folders.push_back({k.dir, k.name, k.built_at});
  auto gone = util::prune_folders(std::move(folders),
                                  [&](const std::string& name) { return in_use.contains(name) ? 1u : 0u; });
  std::vector<StoredKernel> removed;
  for (const auto& g : gone)
    for (auto& k : built)
      if (k.dir == g.dir) removed.push_back(std::move(k));
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(cache_dir / "work", ec))
    if (!in_use.contains(e.path().filename().string())) std::filesystem::remove_all(e.path(), ec);
  return removed;
}

}  // namespace numalab::kernel
