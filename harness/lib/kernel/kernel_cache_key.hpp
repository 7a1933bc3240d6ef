#pragma once
// What a built kernel depends on, and the key it is cached under: the same inputs give the same
// key, any change to one of them gives another.

#include <string>

namespace numalab::kernel {

struct KernelCacheKey {
  std::string base_identity;  // "debian linux-source-6.1 6.1.192-2", "git 1f2e3d..."
  std::string series_hash;    // PatchSeries::content_hash()
  std::string config_hash;    // resolved_config_hash() of the resolved .config
  std::string compiler;       // first line of gcc --version

  std::string hex() const;  // 24 hex digits
  bool operator==(const KernelCacheKey&) const = default;
};

}  // namespace numalab::kernel
