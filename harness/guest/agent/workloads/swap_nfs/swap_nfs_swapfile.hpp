#pragma once
// The swap file of the swap-nfs workload, on the NFS mount: allocated whole (the header page of
// workload/swap_nfs/swap_header.hpp, then allocated or written zeros: swapon refuses a file with holes,
// nfs_swap_activate compares the server's space used with the size), activated with
// swapon(2), which takes the kernel's swap-over-NFS path (nfs_swap_activate: SWP_FS_OPS, the
// RPC transport marked for memory reserves), and on destruction deactivated and deleted.

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>

namespace numalab::guest {

// Creates (or truncates) path as a swap area of `bytes` (whole pages), fsynced: its header page,
// then the rest allocated with fallocate(2) where the server can (NFSv4.2 ALLOCATE), else written
// with zeros (NFSv3), with O_DIRECT so that the file's pages do not crowd the client's memory.
// Returns how: "fallocate" or "written".
std::expected<std::string, std::string> write_swap_file(const std::filesystem::path& path,
                                                        std::uint64_t bytes, std::size_t page_size,
                                                        const std::array<std::uint8_t, 16>& uuid);

// An active swap area: swapoff(2) and the file deleted on destruction (the file is deleted even
// when it never became active).
class ActiveSwap {
 public:
  explicit ActiveSwap(std::filesystem::path path) : path_(std::move(path)) {}
  ~ActiveSwap();
  ActiveSwap(const ActiveSwap&) = delete;
  ActiveSwap& operator=(const ActiveSwap&) = delete;

  // swapon(2), then checks that /proc/swaps lists the file.
  std::expected<void, std::string> swapon();
  // swapoff(2): every page in the area is read back into memory first. Idempotent.
  std::expected<void, std::string> swapoff();
  // swapoff, then the file deleted. Idempotent.
  std::expected<void, std::string> remove();
  bool active() const { return active_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool active_ = false;
  bool removed_ = false;
};

}  // namespace numalab::guest
