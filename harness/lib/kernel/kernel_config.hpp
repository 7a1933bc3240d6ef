#pragma once
// The lab kernel's .config: tinyconfig, the fragments merged over it (merge_config.sh), then
// olddefconfig; every option a fragment asked for is checked in the result.

#include <filesystem>
#include <string>
#include <vector>

#include "kernel/kconfig.hpp"
#include "kernel/work_tree.hpp"
#include "util/error.hpp"

namespace numalab::kernel {

// kernels/NAME.config for each name, from the lab's project or else numalab's own, merged in
// order. A missing fragment is bad_input.
util::Result<MergedKconfig> load_fragments(const std::vector<std::string>& names,
                                           const std::filesystem::path& project_root);

// Writes TREE.build/.config (skipped when the fragments, the base and any Kconfig the series
// touches are as they were last time) and returns it as resolved. Dropped options: bad_input.
util::Result<KconfigSettings> resolve_config(const WorkTree& tree, const MergedKconfig& fragments,
                                             const std::string& base_identity,
                                             const std::string& series_hash);

}  // namespace numalab::kernel
