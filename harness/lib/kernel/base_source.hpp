#pragma once
// The unpatched kernel source a lab kernel starts from, unpacked once into numalab's cache:
//   base = "debian-6.1"                         Debian's linux-source-6.1 package (apt-get)
//   base = { tree = "/path/to/linux", ref = "v6.1" }   a user's git tree at a ref
// Each has an identity that goes into the kernel cache key: the package version, or the commit.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "util/error.hpp"

namespace numalab::kernel {

struct BaseSpec {
  std::string name;                      // "debian-6.1"; empty when tree is set
  std::optional<std::string> tree, ref;  // a git tree and the ref to build
};

struct BaseSource {
  std::filesystem::path dir;  // the unpacked tree; never written to once complete
  std::string identity;       // "debian linux-source-6.1 6.1.192-2" or "git 1f2e3d..."
};

inline constexpr const char* k_debian_base = "debian-6.1";

util::Result<BaseSource> ensure_base_source(const BaseSpec& spec, const std::filesystem::path& cache_dir,
                                            const std::function<void(const std::string&)>& say);

}  // namespace numalab::kernel
