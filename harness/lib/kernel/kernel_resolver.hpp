#pragma once
// From what a lab file or --kernel names to a bootable kernel image (and its modules, if any).

#include <filesystem>
#include <optional>
#include <string>

#include "kernel/kernel_builder.hpp"
#include "lab/lab.hpp"
#include "util/error.hpp"

namespace numalab::kernel {

struct ResolvedKernel {
  std::string name;                                  // as named: "debian", a [kernel.NAME], or the path given
  std::filesystem::path image;                       // bzImage / vmlinuz
  std::string sha256;                                // of image
  std::optional<std::filesystem::path> modules_dir;  // lib/modules/RELEASE, for modular kernels
  std::string release;                               // from the package or the bzImage header; "" if unknown
  std::string cache_key;                             // a [kernel.NAME] numalab built: its build key; else ""
  std::filesystem::path build_dir;                   // ... and its cache folder (bzImage, .config, meta.json)
};

// `relative_to`: the folder a relative path is taken from (the lab file's for names in a lab, the
// working directory for --kernel). A kernel that does not exist is a bad_input error.
// A [kernel.NAME] is built (or found in the cache) with `options`.
util::Result<ResolvedKernel> resolve_kernel(const std::string& name, const lab::Lab& lab,
                                            const std::filesystem::path& relative_to,
                                            const BuildOptions& options);

// Where a lab's patches/ and kernels/ are: the nearest folder, from the lab file's own upwards,
// that has either; else the lab file's folder.
std::filesystem::path project_root_of(const std::filesystem::path& lab_file);

bool looks_like_path(const std::string& name);

}  // namespace numalab::kernel
