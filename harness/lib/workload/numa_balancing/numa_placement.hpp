#pragma once
// Where the NUMA-balancing workloads (numa01, numa01-thread-alloc, numa02, numa02-smt) put their
// threads and memory, computed from the lab's declared topology.
//
// A "unit" is what gets bound: a whole process for numa01 and numa01-thread-alloc (all its threads
// share one node), a single thread for numa02 and numa02-smt. Units are spread evenly over the
// candidate CPUs (unit u of U takes CPU number u * n / U of the n candidates) and take that CPU's
// whole node:
//   hard-bind     candidates are the CPUs of nodes that have memory; memory on the CPUs' node.
//   inverse-bind  candidates are all CPUs; memory on the node farthest (SLIT distance) from the
//                 CPUs' local memory node, never on it (ties: the lowest id).
//   none          nothing is bound; all memory is first touched from the CPUs of the first node
//                 that has both CPUs and memory, and the threads start spread over all CPUs (a
//                 thread is held on its start CPU's node only until every thread has started),
//                 the threads of each process alternating between nodes. So about half the
//                 threads start away from their memory, and NUMA balancing has something to fix:
//                 move memory, or (numa01) gather each process's threads on one node.
// A CPU's "local memory node" is its own node, or for a memory-less node the nearest node with
// memory, as the kernel's numa_mem_id() picks.

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/topology.hpp"

namespace numalab::workload {

enum class BindVariant { none, hard_bind, inverse_bind };

// "hard-bind", "inverse-bind"; nullopt for anything else.
std::optional<BindVariant> bind_variant_from(std::string_view text);
std::string_view to_string(BindVariant v);

struct UnitPlacement {
  int cpu_node = -1;      // -1: not bound
  std::vector<int> cpus;  // the node's CPUs; empty: not bound
  int memory_node = -1;   // -1: not bound
};

struct ThreadLayout {
  std::size_t process = 0;
  std::size_t slice = 0;  // the slice of its process's buffer it writes
  UnitPlacement placement;
  std::vector<int> start_cpus;  // none variant: the node it starts on, before it is let go
};

struct WorkloadPlacement {
  std::vector<ThreadLayout> threads;  // ordered by process, then thread
  std::vector<int> first_touch_cpus;  // none variant: where memory is first touched; else empty
  int first_touch_node = -1;
};

struct WorkloadShape {
  std::size_t processes = 1;
  std::size_t threads_per_process = 1;
  bool shared_buffer = false;    // every thread writes its process's whole buffer (numa01)
  bool bind_per_thread = false;  // numa02: each thread is a unit; else each process is
};

std::expected<WorkloadPlacement, std::string> plan_placement(const model::Topology& topology,
                                                             BindVariant variant, const WorkloadShape& shape);

// The local memory node of node `node` (an id): itself if it has memory, else the nearest node with
// memory. -1 when no node has memory or the node is unknown.
int local_memory_node(const model::Topology& topology, int node);

// CPU number -> its local memory node (-1 for CPUs the topology does not list), sized to the
// highest CPU + 1.
std::vector<int> memory_node_by_cpu(const model::Topology& topology);

}  // namespace numalab::workload
