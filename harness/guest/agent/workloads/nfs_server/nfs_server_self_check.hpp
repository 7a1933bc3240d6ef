#pragma once
// The NFS server checked from inside before it says ready: its own export mounted over 127.0.0.1
// with NFSv3 (a file written, found on the server's tmpfs, read back through NFS with O_DIRECT,
// removed) and with NFSv4.2 (mounted and statfs'd: file I/O would wait out the v4 grace period).

#include <expected>
#include <filesystem>
#include <string>

namespace numalab::guest {

std::expected<void, std::string> nfs_self_check(const std::filesystem::path& export_dir);

}  // namespace numalab::guest
