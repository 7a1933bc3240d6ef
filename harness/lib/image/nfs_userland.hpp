#pragma once
// The image entries of a machine that runs the nfs-server workload: the programs of
// nfs_userland_paths.hpp from the unpacked packages, their shared libraries (the closure, from the
// unpacked packages first, then the host's), the files libtirpc, rpcbind and glibc read (netconfig,
// passwd with rpcbind's _rpc user, nsswitch.conf, services, protocols, rpc) and nfs-utils' state
// folder. Other machines' images do not change.

#include <filesystem>
#include <vector>

#include "image/initramfs.hpp"
#include "util/error.hpp"

namespace numalab::image {

// cache_dir: numalab's cache. An error (cannot_run) says how to fetch the packages when they are
// missing.
util::Result<std::vector<ImageEntry>> nfs_server_image_entries(const std::filesystem::path& cache_dir);

// The host folders libraries are looked up in after the unpacked packages' own.
const std::vector<std::filesystem::path>& host_library_dirs();

}  // namespace numalab::image
