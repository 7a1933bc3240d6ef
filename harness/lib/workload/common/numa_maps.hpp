#pragma once
// /proc/PID/numa_maps: one line per mapping, "ADDRESS POLICY [word | key=value]...", e.g.
//   7f3a40000000 bind:1 anon=32768 dirty=32768 active=0 N1=32768 kernelpagesize_kB=4
//   7f3a00000000 default file=/anon_hugepage\040(deleted) huge anon=4 dirty=4 N0=4 kernelpagesize_kB=2048
// N<node>=<pages> counts pages of kernelpagesize_kB each (transparent huge pages are counted in
// base pages; hugetlb mappings, marked "huge", in huge pages). A path's blanks are escaped by the
// kernel ("\040"), so words split on blanks.
//
// The text comes from the guest kernel: parsing is total and bounded. A line that does not start
// with a hexadecimal address and a policy, or has a malformed N<node>= field, is skipped and
// counted; at most k_max_numa_maps_entries lines and k_max_numa_maps_nodes node fields per line are
// kept.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace numalab::workload {

inline constexpr std::size_t k_max_numa_maps_entries = 65536;
inline constexpr std::size_t k_max_numa_maps_nodes = 1024;  // MAX_NUMNODES at its largest
inline constexpr std::size_t k_max_numa_maps_file = 256;    // longer paths are cut

struct NumaMapsEntry {
  std::uint64_t start = 0;
  std::string policy;  // "default", "bind:1", "interleave:0-1", "prefer:0", "prefer (many):0-1", ...
  std::string file;    // file=..., "" for anonymous memory
  bool huge = false;   // a hugetlb mapping
  bool heap = false;
  bool stack = false;
  std::uint64_t anon_pages = 0;
  std::uint64_t dirty_pages = 0;
  std::uint64_t page_kb = 4;                              // kernelpagesize_kB
  std::vector<std::pair<int, std::uint64_t>> node_pages;  // (node, pages), in the line's order

  std::uint64_t pages_on(int node) const;
  std::uint64_t resident_pages() const;  // the sum of node_pages
  bool operator==(const NumaMapsEntry&) const = default;
};

struct NumaMaps {
  std::vector<NumaMapsEntry> entries;
  std::size_t skipped_lines = 0;
};

// Parses one line into out; false if it is malformed (out is then unspecified).
bool parse_numa_maps_line(std::string_view line, NumaMapsEntry& out);
NumaMaps parse_numa_maps(std::string_view text);

}  // namespace numalab::workload
