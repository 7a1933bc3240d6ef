// Fuzzes the agent's parsers of what the guest kernel writes in /proc (vmstat, net/netstat, PSI,
// RPC client and server statistics, swaps, mountinfo, a task's stat, status, cgroup, kernel stack
// and wchan, numa_maps): the kernel under test can print anything there. Each must return, and keep within
// its bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "workload/common/kernel_stack.hpp"
#include "workload/common/mountinfo.hpp"
#include "workload/common/netstat.hpp"
#include "workload/common/nfs_rpc_stats.hpp"
#include "workload/common/nfsd_stats.hpp"
#include "workload/common/numa_maps.hpp"
#include "workload/common/proc_cgroups.hpp"
#include "workload/common/proc_stat.hpp"
#include "workload/common/proc_status.hpp"
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
  (void)parse_context_switches(text);
  (void)status_field(text, "Cpus_allowed_list");
  (void)unified_cgroup_path(text);
  if (parse_mountinfo(text).size() > k_max_mounts) __builtin_trap();
  // Names for the agent protocol: at most 32 frames of at most 128 printable ASCII bytes.
  auto printable = [](const std::string& name) {
    if (name.size() > 128) return false;
    for (char c : name)
      if (c < 0x20 || c > 0x7e) return false;
    return true;
  };
  const auto frames = parse_kernel_stack(text, 32, 128);
  if (frames.size() > 32) __builtin_trap();
  for (const auto& f : frames)
    if (f.empty() || !printable(f)) __builtin_trap();
  if (!printable(parse_wchan(text, 128))) __builtin_trap();
  return 0;
}
