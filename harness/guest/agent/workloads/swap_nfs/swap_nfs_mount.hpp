#pragma once
// The swap-nfs workload's NFS mount (common/nfs_mount.hpp: mount(2) with the kernel's text options), held
// for the workload's lifetime: unmounted on destruction, forcibly if the server does not answer.

#include <expected>
#include <filesystem>
#include <string>

#include "workload/common/nfs_mount_options.hpp"

namespace numalab::guest {

class SwapNfsMount {
 public:
  static std::expected<SwapNfsMount, std::string> mount(const workload::NfsMountSpec& spec,
                                                        const std::filesystem::path& target);
  SwapNfsMount() = default;
  ~SwapNfsMount() { (void)unmount(); }
  SwapNfsMount(SwapNfsMount&& other) noexcept;
  SwapNfsMount& operator=(SwapNfsMount&& other) noexcept;
  SwapNfsMount(const SwapNfsMount&) = delete;
  SwapNfsMount& operator=(const SwapNfsMount&) = delete;

  const std::filesystem::path& path() const { return target_; }
  // Unmounts (MNT_FORCE, then a lazy detach, when the plain umount fails) and removes the mount
  // point. Idempotent; the error says why the plain unmount failed.
  std::expected<void, std::string> unmount();

 private:
  explicit SwapNfsMount(std::filesystem::path target) : target_(std::move(target)) {}
  std::filesystem::path target_;  // empty once unmounted
};

}  // namespace numalab::guest
