#pragma once
// What the swap-nfs workload does, as data: its lab-file parameters, how much memory its hog
// touches and how large a swap file that needs (its NFS mount: nfs_mount_options.hpp, hard).

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace numalab::workload {

inline constexpr double k_default_swap_ratio = 2.0;
inline constexpr double k_min_swap_ratio = 0.1;
inline constexpr double k_max_swap_ratio = 16.0;
inline constexpr std::int64_t k_max_swap_passes = 1000;
inline constexpr std::int64_t k_max_swap_hog_threads = 64;
inline constexpr const char* k_default_export = "/export";
// The TCP port where an nfs-server machine streams bytes to any client that connects: the
// concurrent network load of swap-nfs's net_load (the guest's own network, never the host's).
inline constexpr std::uint16_t k_net_load_port = 7719;

struct SwapNfsParams {
  std::string server;             // a lab machine name (plan.hosts gives its address)
  std::string nfs_version = "3";  // "3" or "4.2"
  std::string export_path = k_default_export;
  double ratio = k_default_swap_ratio;  // the hog touches ratio x MemTotal
  std::uint32_t passes = 1;             // each pass writes every page, then reads every page back
  // The hog's threads, each with its own slice of the pages: more tasks fault and reclaim at once.
  std::uint32_t threads = 1;
  std::optional<std::uint64_t> swap_size;  // bytes; absent: swap_file_bytes()
  bool net_load = false;                   // a TCP stream from the server, received while the hog runs
};

// The lab file's parameters: `server` (required), `nfs_version` ("3" or "4.2", default "3"),
// `export` (an absolute path, default "/export"), `ratio` (0.1 to 16, default 2), `passes` (1 to
// 1000, default 1), `threads` (1 to 64, default 1), `swap_size` (a size), `net_load` (a boolean,
// default false).
std::expected<SwapNfsParams, std::string> swap_nfs_params(const nlohmann::json& params);

// Pages the hog touches: ratio x MemTotal, at least one.
std::uint64_t hog_pages(std::uint64_t mem_total_kb, double ratio, std::uint64_t page_size);

// The swap file's size when the lab file does not set one: the whole hog plus 32 MiB (the guest's
// own tmpfs pages may swap too), in whole MiB.
// Not just what exceeds the memory: a page under writeback to the server holds its swap slot and
// its memory at once, and over a slow link most of the memory can be in flight (seen under TCG:
// 165 MiB of 235 in writeback, the swap file full, the hog OOM-killed with a third of it swapped).
std::uint64_t swap_file_bytes(std::uint64_t hog_bytes);

// Pages the hog keeps across swapoff (the rest it unmaps first): half the memory available when it
// started, so that swapoff must and can pull them all back into memory, at most
// k_max_swapoff_keep_bytes (swapoff reads about 2-4 MiB/s over NFS under TCG), at most
// all of them.
inline constexpr std::uint64_t k_max_swapoff_keep_bytes = 16ull << 20;
std::uint64_t swapoff_keep_pages(std::uint64_t hog_pages, std::uint64_t available_kb,
                                 std::uint64_t page_size);

}  // namespace numalab::workload
