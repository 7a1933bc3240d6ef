#pragma once
// The locality share of the NUMA-balancing workloads: how much of the memory each thread writes is
// on the node its CPU takes memory from.
//
// Method. Each worker thread writes one slice of its process's buffer (numa01: all threads the same
// one, the whole buffer). Every slice is its own mapping, so numa_maps gives the resident pages of
// each slice per node. A thread counts, once, every resident page of its slice; the page is local
// when it is on the local memory node (see numa_placement.hpp) of the CPU the thread last ran on
// (/proc/PID/task/TID/stat field 39). The share is local / counted over all threads of all
// processes: a page-weighted mean over (thread, slice) pairs, so a numa01 process whose threads
// are split over two nodes can be at most as local as its memory is split the same way, and a
// numa02 thread that the scheduler moved away from its slice makes that slice remote until the
// pages follow it. Threads migrate between samples, so one sample is a snapshot, not an average.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "workload/common/numa_maps.hpp"

namespace numalab::workload {

struct AddressRange {
  std::uint64_t begin = 0, end = 0;  // [begin, end)
};

struct ThreadCpu {
  std::size_t slice = 0;
  int cpu = -1;  // -1: unknown (the thread is gone); not counted
};

struct LocalityCount {
  std::uint64_t local_kb = 0;
  std::uint64_t counted_kb = 0;

  LocalityCount& operator+=(const LocalityCount& o) {
    local_kb += o.local_kb;
    counted_kb += o.counted_kb;
    return *this;
  }
  std::optional<double> percent() const;  // nullopt when nothing was counted
};

// One process: its numa_maps, its slices' address ranges, its threads. memory_node_by_cpu maps a
// CPU number to its local memory node (memory_node_by_cpu() of numa_placement.hpp).
LocalityCount process_locality(const NumaMaps& maps, const std::vector<AddressRange>& slices,
                               const std::vector<ThreadCpu>& threads,
                               const std::vector<int>& memory_node_by_cpu);

}  // namespace numalab::workload
