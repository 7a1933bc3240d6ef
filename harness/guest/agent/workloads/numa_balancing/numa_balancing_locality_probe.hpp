#pragma once
// One locality sample of the NUMA-balancing workers: each process's /proc/PID/numa_maps and the CPU
// each of its threads last ran on (/proc/PID/task/TID/stat field 39), combined as
// workload/numa_balancing/locality.hpp explains.

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "workload/numa_balancing/locality.hpp"
#include "workloads/numa_balancing/numa_balancing_worker_pool.hpp"

namespace numalab::guest {

// slices: the address ranges of the slices (the same in every process: they inherit the layout).
std::expected<workload::LocalityCount, std::string> probe_locality(
    const std::filesystem::path& root, const std::vector<WorkerProcess>& processes,
    const std::vector<workload::AddressRange>& slices, const std::vector<int>& memory_node_by_cpu);

}  // namespace numalab::guest
