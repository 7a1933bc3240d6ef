#pragma once
// Mounting an NFS export with mount(2) and the kernel's own text options
// (workload/common/nfs_mount_options.hpp), and unmounting it; no mount.nfs, no shell. Used by the
// nfs-server workload's self-check and by NFS clients (swap-nfs).

#include <expected>
#include <filesystem>
#include <string>

#include "workload/common/nfs_mount_options.hpp"

namespace numalab::guest {

// Creates target if needed, then mount(2). The error names the source, the options and errno.
std::expected<void, std::string> mount_nfs(const workload::NfsMountSpec& spec,
                                           const std::filesystem::path& target);

// umount2(target); with force, MNT_FORCE first (an unreachable server), then a lazy detach.
std::expected<void, std::string> unmount(const std::filesystem::path& target, bool force = false);

}  // namespace numalab::guest
