#include "workloads/swap_nfs/swap_nfs_mount.hpp"

#include <unistd.h>

#include <utility>

#include "common/nfs_mount.hpp"

namespace numalab::guest {

std::expected<SwapNfsMount, std::string> SwapNfsMount::mount(const workload::NfsMountSpec& spec,
                                                             const std::filesystem::path& target) {
  if (auto m = mount_nfs(spec, target); !m) {
    ::rmdir(target.c_str());
    return std::unexpected(m.error());
  }
  return SwapNfsMount(target);
}

SwapNfsMount::SwapNfsMount(SwapNfsMount&& other) noexcept : target_(std::exchange(other.target_, {})) {}

SwapNfsMount& SwapNfsMount::operator=(SwapNfsMount&& other) noexcept {
  if (this != &other) {
    (void)unmount();
    target_ = std::exchange(other.target_, {});
  }
  return *this;
}

std::expected<void, std::string> SwapNfsMount::unmount() {
  if (target_.empty()) return {};
  auto result = guest::unmount(target_, true);
  ::rmdir(target_.c_str());
  target_.clear();
  return result;
}

}  // namespace numalab::guest
