#pragma once
// The first page of a swap area, as mkswap writes it and the kernel's swapon reads it
// (read_swap_header in mm/swapfile.c): union swap_header of include/linux/swap.h, version 1 in the
// machine's byte order (little-endian here):
//   offset 1024  u32 version = 1
//   offset 1028  u32 last_page       the last usable page: the area's pages - 1
//   offset 1032  u32 nr_badpages = 0 (a regular file must have none)
//   offset 1036  u8  sws_uuid[16]
//   offset 1052  u8  sws_volume[16]  a label, NUL-padded
//   offset page_size - 10  "SWAPSPACE2"
// Everything else is zero. The swap workload writes it itself: the guest has no mkswap to run.

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace numalab::workload {

inline constexpr std::size_t k_swap_version_offset = 1024;
inline constexpr std::size_t k_swap_last_page_offset = 1028;
inline constexpr std::size_t k_swap_nr_badpages_offset = 1032;
inline constexpr std::size_t k_swap_uuid_offset = 1036;
inline constexpr std::size_t k_swap_label_offset = 1052;
inline constexpr std::size_t k_swap_label_bytes = 16;
inline constexpr std::string_view k_swap_magic = "SWAPSPACE2";
// mkswap's own floor: fewer pages are no use as swap.
inline constexpr std::uint64_t k_min_swap_pages = 10;

struct SwapHeaderSpec {
  std::uint64_t area_bytes = 0;  // the whole swap file; whole pages only count
  std::size_t page_size = 4096;
  std::array<std::uint8_t, 16> uuid{};
  std::string label;  // at most 16 bytes (no NUL needed when it fills them)
};

// The header page, page_size bytes. Errors: a page size that cannot hold the header (below 2048
// or not a power of two), fewer than k_min_swap_pages whole pages, more pages than a u32 last_page
// can name, a label over 16 bytes.
std::expected<std::vector<std::uint8_t>, std::string> swap_header_page(const SwapHeaderSpec& spec);

}  // namespace numalab::workload
