#pragma once
// The kernel side of a bundle: a machine's kernel identity with its build record (cache key, base,
// series, fragments) from the kernel cache, its .config, and a [kernel.NAME]'s patch series and
// config fragments copied so that the kernel can be built again elsewhere.

#include <filesystem>
#include <string>
#include <vector>

#include "bundle/bundle_entry.hpp"
#include "bundle/bundle_manifest.hpp"
#include "lab/lab.hpp"
#include "result/run_result.hpp"

namespace numalab::bundle {

// The identity the run recorded, with the build record (meta.json) beside the image when numalab
// built it: CACHE/kernels/built/KEY/{bzImage, meta.json, config}.
BundledKernel kernel_evidence(const result::KernelIdentity& identity);

// The built kernel's resolved .config, or "" when it is not a kernel numalab built.
std::filesystem::path kernel_config_file(const result::KernelIdentity& identity);

// Entries "patches/NAME/..." for the series of `spec` (found from `project_root`), and what the
// manifest says about it. Notes say what could not be bundled.
BundledSeries add_series(const lab::KernelSpec& spec, const std::filesystem::path& project_root,
                         const std::string& built_series_hash, std::vector<BundleEntry>& entries,
                         std::vector<std::string>& notes);

// Entries "kernels/FRAGMENT.config" for the fragments `spec` names (the lab's project first, then
// numalab's own), so that a rebuild uses the same ones.
void add_fragments(const lab::KernelSpec& spec, const std::filesystem::path& project_root,
                   std::vector<BundleEntry>& entries, std::vector<std::string>& notes);

}  // namespace numalab::bundle
