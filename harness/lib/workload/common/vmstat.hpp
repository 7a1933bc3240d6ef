#pragma once
// /proc/vmstat: one "name value" line per counter. Which counters exist depends on the kernel's
// version and configuration (numa_* needs CONFIG_NUMA, numa_pte_updates CONFIG_NUMA_BALANCING,
// pgmigrate_* CONFIG_MIGRATION), so a counter missing from the file is "absent", never 0.
//
// The text comes from the guest kernel: parsing is total and bounded. Malformed lines (no value, a
// value that is not a 64-bit decimal, a name longer than k_max_vmstat_name) are skipped and
// counted; at most k_max_vmstat_counters counters are kept.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace numalab::workload {

inline constexpr std::size_t k_max_vmstat_counters = 2048;
inline constexpr std::size_t k_max_vmstat_name = 64;

struct VmstatCounters {
  std::map<std::string, std::uint64_t, std::less<>> values;
  std::size_t skipped_lines = 0;

  std::optional<std::uint64_t> get(std::string_view name) const;
};

VmstatCounters parse_vmstat(std::string_view text);

// after - before, or nullopt when either snapshot lacks the counter (the kernel does not have it).
// Event counters only grow; one that went backwards (it cannot, short of a kernel bug) gives 0.
std::optional<std::uint64_t> counter_delta(const VmstatCounters& before, const VmstatCounters& after,
                                           std::string_view name);

}  // namespace numalab::workload
