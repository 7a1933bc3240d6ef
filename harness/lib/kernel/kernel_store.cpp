#include "kernel/kernel_store.hpp"

#include <algorithm>

#include "kernel/build_record.hpp"

namespace numalab::kernel {

namespace {

std::uint64_t folder_bytes(const std::filesystem::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  return total;
}

}  // namespace

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
  std::vector<StoredKernel> removed;
  std::set<std::string> kept_names;
  std::error_code ec;
  for (auto& k : list_built_kernels(cache_dir)) {  // newest first: the first of a name is kept
    if (in_use.contains(k.name) && kept_names.insert(k.name).second) continue;
    std::filesystem::remove_all(k.dir, ec);
    removed.push_back(std::move(k));
  }
  for (const auto& e : std::filesystem::directory_iterator(cache_dir / "work", ec))
    if (!in_use.contains(e.path().filename().string())) std::filesystem::remove_all(e.path(), ec);
  return removed;
}

}  // namespace numalab::kernel
