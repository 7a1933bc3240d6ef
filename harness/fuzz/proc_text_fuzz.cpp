// Fuzzes the agent's parsers of what the guest kernel writes in /proc (vmstat, net/netstat, PSI,
// RPC client and server statistics, swaps, a task's stat, numa_maps): the kernel under test can
// print anything there. Each must return, and keep within its bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "workload/common/netstat.hpp"
#include "workload/common/nfs_rpc_stats.hpp"
#include "workload/common/nfsd_stats.hpp"
#include "workload/common/numa_maps.hpp"
#include "workload/common/proc_stat.hpp"
#include "workload/common/proc_swaps.hpp"
#include "workload/common/psi.hpp"
#include "workload/common/vmstat.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace numalab::workload;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (parse_vmstat(text).values.size() > k_max_vmstat_counters) __builtin_trap();
  if (parse_netstat(text).values.size() > k_max_vmstat_counters) __builtin_trap();
  (void)parse_pressure(text);
  (void)parse_rpc_client_stats(text);
  (void)parse_nfsd_stats(text);
  (void)parse_proc_swaps(text);
  (void)parse_proc_stat(text);
  (void)parse_numa_maps(text);
  return 0;
}
