#pragma once
// The lab of an unpacked bundle, ready to run again: its [kernel.NAME] series point at the bundled
// patches, and each machine boots, in this order of preference, the bundled bzImage, the kernel
// cache's build under the bundled key, or a kernel built now from the bundled series. A machine
// whose kernel is given by path to an image switches to that image; its [kernel.NAME] command line
// moves to the machine. Debian's packaged kernel is the cached one (checked by sha256).

#include <filesystem>
#include <string>
#include <vector>

#include "bundle/bundle_manifest.hpp"
#include "kernel/kernel_builder.hpp"
#include "lab/lab.hpp"
#include "util/error.hpp"

namespace numalab::bundle {

struct ReproLab {
  lab::Lab lab;
  std::vector<std::string> notes;  // one line per machine: which kernel, and whether it is the same image
};

// `build`: its cache_dir, terminal and say are used; project_root is the bundle's folder.
util::Result<ReproLab> rebuild_lab(const std::filesystem::path& bundle_dir, const BundleManifest& manifest,
                                   kernel::BuildOptions build);

}  // namespace numalab::bundle
