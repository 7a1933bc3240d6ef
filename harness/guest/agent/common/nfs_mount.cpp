#include "common/nfs_mount.hpp"

#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace numalab::guest {

std::expected<void, std::string> mount_nfs(const workload::NfsMountSpec& spec,
                                           const std::filesystem::path& target) {
  auto args = workload::nfs_mount_args(spec);
  if (!args) return std::unexpected(args.error());
  std::error_code ec;
  std::filesystem::create_directories(target, ec);
  if (ec) return std::unexpected("mkdir " + target.string() + ": " + ec.message());
  if (::mount(args->source.c_str(), target.c_str(), args->fs_type.c_str(), 0, args->options.c_str()) != 0)
    return std::unexpected("mount -t " + args->fs_type + " " + args->source + " " + target.string() + " -o " +
                           args->options + ": " + std::strerror(errno));
  return {};
}

std::expected<void, std::string> unmount(const std::filesystem::path& target, bool force) {
  if (::umount2(target.c_str(), 0) == 0) return {};
  const int first = errno;
  if (force && (::umount2(target.c_str(), MNT_FORCE) == 0 || ::umount2(target.c_str(), MNT_DETACH) == 0))
    return {};
  return std::unexpected("umount " + target.string() + ": " + std::strerror(first));
}

}  // namespace numalab::guest
