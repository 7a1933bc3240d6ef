#pragma once
// The built kernels in the cache (CACHE/kernels/built/KEY/): listing them, and pruning those no
// lab file in use names.

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace numalab::kernel {

struct StoredKernel {
  std::string name, key, base, series, built_at;
  std::filesystem::path dir;
  std::uint64_t bytes = 0;
};

// Newest first.
std::vector<StoredKernel> list_built_kernels(const std::filesystem::path& cache_dir);

// Keeps, for every name in `in_use`, its newest build; removes every other build, and the work
// folders of names not in use. Returns what it removed.
std::vector<StoredKernel> prune_built_kernels(const std::filesystem::path& cache_dir,
                                              const std::set<std::string>& in_use);

}  // namespace numalab::kernel
