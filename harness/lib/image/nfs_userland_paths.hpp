#pragma once
// Where the NFS server's userland is: Debian's nfs-kernel-server and rpcbind programs, unpacked by
// scripts/fetch-nfs-userland under numalab's cache (never installed on the host), copied into the
// image of a machine that runs the nfs-server workload at the same paths, and run from there by
// the guest agent. The one list of these paths; header-only, so the static agent includes it too.

#include <array>

namespace numalab::image::nfs_userland {

// Under numalab's cache (util::cache_dir()): the unpacked packages' root folder. The script writes
// CACHE/userland/nfs/<versions>/root and points CACHE/userland/nfs/current at it.
inline constexpr const char* k_cache_root = "userland/nfs/current/root";

// Programs: the same path in the packages and in the guest.
inline constexpr const char* k_rpcbind = "/sbin/rpcbind";
inline constexpr const char* k_rpcinfo = "/usr/bin/rpcinfo";
inline constexpr const char* k_exportfs = "/usr/sbin/exportfs";
inline constexpr const char* k_rpc_mountd = "/usr/sbin/rpc.mountd";
inline constexpr const char* k_rpc_nfsd = "/usr/sbin/rpc.nfsd";
inline constexpr std::array<const char*, 5> k_programs = {k_rpcbind, k_rpcinfo, k_exportfs, k_rpc_mountd,
                                                          k_rpc_nfsd};

// Configuration files copied from the packages (libtirpc's transports).
inline constexpr std::array<const char*, 1> k_package_files = {"/etc/netconfig"};

// The guest's state: written by the workload at run time (/run is a tmpfs mounted by the agent).
inline constexpr const char* k_exports = "/etc/exports";
inline constexpr const char* k_state_dir = "/var/lib/nfs";
inline constexpr const char* k_v4_recovery_dir = "/var/lib/nfs/v4recovery";
inline constexpr const char* k_rpcbind_state_dir = "/run/rpcbind";
inline constexpr const char* k_rpcbind_socket = "/run/rpcbind.sock";

// The guest's library folder (on glibc's default search path) and the ELF interpreter's path.
inline constexpr const char* k_guest_lib_dir = "/lib/x86_64-linux-gnu";

}  // namespace numalab::image::nfs_userland
