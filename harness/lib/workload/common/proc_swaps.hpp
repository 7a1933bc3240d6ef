#pragma once
// The active swap areas, /proc/swaps (swap_show in mm/swapfile.c): a header line, then one line per
// area, its path escaped (space, tab, newline and backslash as \ooo octal):
//   Filename                                Type            Size            Used            Priority
//   /mnt/numalab-swap-nfs/swapfile          file            524284          0               -2
// Sizes are in KiB.
//
// The text comes from the guest kernel: parsing is total and bounded; malformed lines are skipped.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numalab::workload {

inline constexpr std::size_t k_max_swap_areas = 64;  // the kernel has at most 32 (MAX_SWAPFILES)

struct SwapArea {
  std::string filename;  // unescaped
  std::string type;      // "file" or "partition"
  std::uint64_t size_kb = 0;
  std::uint64_t used_kb = 0;
  std::int64_t priority = 0;

  bool operator==(const SwapArea&) const = default;
};

std::vector<SwapArea> parse_proc_swaps(std::string_view text);

// The area whose file is `filename`, if active.
std::optional<SwapArea> find_swap_area(std::string_view proc_swaps_text, std::string_view filename);

}  // namespace numalab::workload
