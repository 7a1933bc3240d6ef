#pragma once
// The topology-check workload's logic, testable on the host: compares the topology a guest sees
// with the one its lab file declares and describes every difference precisely.

#include <cstdint>
#include <string>
#include <vector>

#include "model/topology.hpp"

namespace numalab::agent {

// A node's MemTotal (its managed pages) is its declared memory less what the kernel takes before it
// counts: on every node the struct page array (64 bytes per 4 KiB page = 1.5625 %, allocated from
// the node's own memory) and other early per-node allocations (pglist_data, percpu chunks); and on
// ONE node the kernel image and the early allocations that go with it. Which node that is, is not
// fixed: memblock allocates top-down and KASLR picks the kernel's physical address, and Debian's
// 6.1 kernel under QEMU 7.2 was measured losing 46-55 MiB on the *highest* node with memory and
// 1.5-10 MiB on the others (lab/default.toml: 502 and 456 MiB of 512; lab/numa4-asym.toml: 250,
// 251, 251 and 205 MiB of 256). So every node may fall short by
//   k_mem_tolerance_percent % of its declared size + k_mem_allowance_node_kb,
// and the one node that falls shortest may also use k_mem_allowance_kernel_kb. MemTotal never
// exceeds the declared size. Not covered: the 64 MiB swiotlb buffer x86 reserves when RAM reaches
// above 4 GiB (a machine over ~2.75 GiB under QEMU) and crashkernel= reservations.
inline constexpr std::uint64_t k_mem_tolerance_percent = 3;
inline constexpr std::uint64_t k_mem_allowance_node_kb = 16 * 1024;    // per-node reserves
inline constexpr std::uint64_t k_mem_allowance_kernel_kb = 64 * 1024;  // kernel image, early allocations
// A long diff is cut after this many differences ("... and 12 more").
inline constexpr std::size_t k_max_reported_differences = 40;

struct MemTotalRange {
  std::uint64_t min_kb = 0;
  std::uint64_t max_kb = 0;
};

// The MemTotal a node of declared_kb may show; kernel_node: the node granted the kernel allowance.
MemTotalRange mem_total_range(std::uint64_t declared_kb, bool kernel_node);

// The node granted the kernel allowance: of the declared nodes with memory that the guest sees,
// the one whose MemTotal falls furthest below its declared size. -1 if there is none.
int kernel_node_id(const model::Topology& declared, const model::Topology& seen);

// Every difference between declared and seen, in the order nodes, CPUs, memory, distances, e.g.
//   "node 1: cpus 2-3 expected, 2 seen", "distance[0][1]: 16 expected, 20 seen",
//   "node 2: MemTotal 122880 kB (120 MiB), expected 237896 .. 262144 kB
//    (256 MiB - 3% - 16 MiB .. 256 MiB)".
// Empty when the guest sees exactly the declared topology. CPU lists are compared as sets.
std::vector<std::string> diff_topology(const model::Topology& declared, const model::Topology& seen);

// The differences joined with "; ", at most k_max_reported_differences of them.
std::string describe_differences(const std::vector<std::string>& differences);

// 262144 -> "256 MiB", 123392 -> "120.5 MiB", 512 -> "0.5 MiB".
std::string format_mib(std::uint64_t kb);

}  // namespace numalab::agent
