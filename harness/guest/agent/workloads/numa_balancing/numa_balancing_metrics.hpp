#pragma once
// The metrics and verdict of a NUMA-balancing run (numa_balancing_run.hpp):
//   elapsed_s        s      lower   fork of the workers to all reaped (setup + duration + stop)
//   setup_s          s      lower   binding and first-touching the buffers
//   user_s, system_s s      lower   the workers' CPU time (wait4), all threads; NUMA hinting
//                                   faults and their migrations are in system_s
//   kthreads_cpu_s   s      lower   CPU time of kthreadd's children (migration/N, kcompactd,
//                                   khugepaged, kworkers...) over the run; absent if unreadable
//   write_mib_per_s  MiB/s  higher  what all threads wrote over the touching time
//   locality_pct     %      higher  the last locality sample (workload/numa_balancing/locality.hpp)
//   time_to_90pct_locality_s s lower  seconds from the start of touching to the first sample at or
//                                   above 90 % (1 s resolution); absent when never reached, and then
//                                   reached_90pct_locality is 0
//   reached_90pct_locality 0/1 higher
//   numa_balancing_enabled  -   none   /proc/sys/kernel/numa_balancing (0 off, 1 on, 2 tiering);
//                                   absent when the kernel has no NUMA balancing
//   memory_mib, threads     -   none   the size the run actually had
//   numa_pte_updates ... numa_other     the /proc/vmstat deltas (system-wide); absent when the
//                                   kernel has no such counter
// Verdict: the variants are checks too. hard-bind below 90 % or inverse-bind above 10 % locality
// means the kernel did not keep MPOL_BIND memory on the bound node: fail.

#include <optional>
#include <string>

#include "common/kernel_counters.hpp"
#include "workloads/numa_balancing/numa_balancing_buffer.hpp"
#include "workloads/numa_balancing/numa_balancing_run.hpp"

namespace numalab::guest {

struct LocalityTrace {
  std::optional<double> final_pct;
  std::optional<double> reached_goal_s;
  std::size_t samples = 0;
  std::string error;  // why a sample could not be taken, if one could not
  double touched_s = 0;
};

struct RunCounters {
  std::optional<workload::VmstatCounters> vmstat;
  KernelThreadTimes kthreads;
};

struct RunFigures {
  double elapsed_s = 0;
  double setup_s = 0;
  double user_s = 0;
  double system_s = 0;
  std::uint64_t bytes_written = 0;
  BufferLayout layout;
  LocalityTrace trace;
};

WorkloadOutcome numa_balancing_outcome(WorkloadContext& ctx, const NumaBalancingConfig& c,
                                       const RunFigures& f, const RunCounters& before,
                                       const RunCounters& after);

}  // namespace numalab::guest
