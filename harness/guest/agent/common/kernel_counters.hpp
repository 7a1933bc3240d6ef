#pragma once
// Kernel-wide counters a workload reports as their change over its run: /proc/vmstat, the CPU time
// of the kernel's own threads, and the NUMA balancing switch.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>

#include "workload/common/vmstat.hpp"

namespace numalab::guest {

// root/proc/vmstat, or nullopt when it cannot be read.
std::optional<workload::VmstatCounters> read_vmstat(const std::filesystem::path& root);

// utime + stime, in clock ticks, of kthreadd (PID 2) and every process whose parent it is: the
// kernel threads (kcompactd, khugepaged, kswapd, migration/N, ksoftirqd/N, kworkers...).
struct KernelThreadTimes {
  std::map<int, std::uint64_t> ticks_by_pid;
  bool readable = false;  // root/proc could be listed and kthreadd was found
};
KernelThreadTimes read_kernel_thread_times(const std::filesystem::path& root);

// CPU seconds the kernel threads used between the two readings; a thread that started in between
// counts whole, one that ended in between is lost. nullopt unless both readings are readable.
std::optional<double> kernel_thread_cpu_s(const KernelThreadTimes& before, const KernelThreadTimes& after);

// root/proc/sys/kernel/numa_balancing: 0 off, 1 on, 2 memory tiering only, 3 both; nullopt when the
// kernel has no NUMA balancing (CONFIG_NUMA_BALANCING off).
std::optional<int> read_numa_balancing_mode(const std::filesystem::path& root);

}  // namespace numalab::guest
