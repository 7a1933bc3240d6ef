#include "workloads/swap_nfs/swap_nfs_swapfile.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <sys/swap.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "common/proc_file.hpp"
#include "util/unique_fd.hpp"
#include "workload/common/proc_swaps.hpp"
#include "workload/swap_nfs/swap_header.hpp"

namespace numalab::guest {

namespace {

constexpr auto k_space_wait = std::chrono::seconds(30);
constexpr std::size_t k_write_bytes = 4 << 20;  // one NFS WRITE is at most 1 MiB: four in flight

std::string failed(const char* what, const std::filesystem::path& path, int e) {
  std::string why = std::strerror(e);
  if (e == ENOSPC) why += " (the export is too small for the swap file: raise the server's size)";
  return std::string(what) + " " + path.string() + ": " + why;
}

std::expected<void, std::string> write_all(int fd, const std::uint8_t* data, std::size_t bytes,
                                           const std::filesystem::path& path) {
  while (bytes > 0) {
    ssize_t n = ::write(fd, data, bytes);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::unexpected(failed("write", path, n < 0 ? errno : EIO));
    data += n;
    bytes -= static_cast<std::size_t>(n);
  }
  return {};
}

// Waits (up to k_space_wait) until the file system of dir has `bytes` free: an NFS server frees a
// deleted file's space only once it closes it (knfsd's file cache holds it open for a few seconds),
// and the workload before this one may have just deleted its swap file.
std::expected<void, std::string> wait_for_space(const std::filesystem::path& dir, std::uint64_t bytes) {
  const auto give_up = std::chrono::steady_clock::now() + k_space_wait;
  for (;;) {
    struct statvfs fs {};
    if (::statvfs(dir.c_str(), &fs) != 0) return std::unexpected(failed("statvfs", dir, errno));
    const std::uint64_t free_bytes = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
    if (free_bytes >= bytes) return {};
    if (std::chrono::steady_clock::now() >= give_up)
      return std::unexpected("the export " + dir.string() + " has " + std::to_string(free_bytes >> 20) +
                             " MiB free, the swap file needs " + std::to_string(bytes >> 20) +
                             " MiB: raise the nfs-server's size (and the server's memory, for a tmpfs)");
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

}  // namespace

std::expected<std::string, std::string> write_swap_file(const std::filesystem::path& path,
                                                        std::uint64_t bytes, std::size_t page_size,
                                                        const std::array<std::uint8_t, 16>& uuid) {
  auto header = workload::swap_header_page({bytes, page_size, uuid, "numalab"});
  if (!header) return std::unexpected(header.error());
  const std::uint64_t whole = bytes / page_size * page_size;
  if (auto space = wait_for_space(path.parent_path(), whole); !space) return std::unexpected(space.error());
  util::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd) return std::unexpected(failed("create", path, errno));
  if (auto w = write_all(fd.get(), header->data(), header->size(), path); !w)
    return std::unexpected(w.error());
  std::string how = "fallocate";
  if (::fallocate(fd.get(), 0, 0, static_cast<off_t>(whole)) != 0) {
    if (errno != EOPNOTSUPP && errno != ENOSYS) return std::unexpected(failed("fallocate", path, errno));
    how = "written";
    util::UniqueFd direct(::open(path.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC));
    const int out = direct ? direct.get() : fd.get();
    if (::lseek(out, static_cast<off_t>(page_size), SEEK_SET) < 0)
      return std::unexpected(failed("lseek", path, errno));
    const std::vector<std::uint8_t> zeros(k_write_bytes, 0);
    for (std::uint64_t at = page_size; at < whole;) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(zeros.size(), whole - at));
      if (auto w = write_all(out, zeros.data(), n, path); !w) return std::unexpected(w.error());
      at += n;
    }
  }
  if (::fsync(fd.get()) != 0) return std::unexpected(failed("fsync", path, errno));
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_DONTNEED);
  if (::close(fd.release()) != 0) return std::unexpected(failed("close", path, errno));
  return how;
}

ActiveSwap::~ActiveSwap() { (void)remove(); }

std::expected<void, std::string> ActiveSwap::remove() {
  if (removed_) return {};
  if (auto off = swapoff(); !off) return off;
  removed_ = true;
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT)
    return std::unexpected("unlink " + path_.string() + ": " + std::strerror(errno));
  return {};
}

std::expected<void, std::string> ActiveSwap::swapon() {
  if (::swapon(path_.c_str(), 0) != 0) {
    std::string why = std::strerror(errno);
    if (errno == EINVAL) why += " (see the console: a file with holes, or a bad header)";
    return std::unexpected("swapon " + path_.string() + ": " + why);
  }
  active_ = true;
  auto swaps = read_proc_file("/proc/swaps");
  if (!swaps) return std::unexpected(swaps.error());
  if (!workload::find_swap_area(*swaps, path_.string()))
    return std::unexpected("swapon " + path_.string() +
                           " succeeded but /proc/swaps does not list it: " + swaps->substr(0, 400));
  return {};
}

std::expected<void, std::string> ActiveSwap::swapoff() {
  if (!active_) return {};
  if (::swapoff(path_.c_str()) != 0)
    return std::unexpected("swapoff " + path_.string() + ": " + std::strerror(errno));
  active_ = false;
  return {};
}

}  // namespace numalab::guest
