#pragma once
// A NUMA topology as a plain value: what a lab file declares for a machine and what a guest reports
// it sees. Shared with the guest agent, so it depends on nothing but the standard library and JSON.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace numalab::model {

// The most nodes a topology has, and CPUs one node has: what a lab may declare, the guest reads
// from sysfs and the host accepts in a hello.
inline constexpr std::size_t k_max_nodes = 64;
inline constexpr std::size_t k_max_node_cpus = 1024;

struct NodeTopology {
  int id = 0;
  std::vector<int> cpus;        // sorted, absolute CPU numbers
  std::uint64_t memory_kb = 0;  // declared size, or MemTotal of the node as the guest sees it

  bool operator==(const NodeTopology&) const = default;
};

// Row i, column j: the ACPI SLIT distance from node i to node j (10 local, 11..254 remote).
using NodeDistanceMatrix = std::vector<std::vector<int>>;

struct Topology {
  std::vector<NodeTopology> nodes;  // ordered by id
  NodeDistanceMatrix distances;

  bool operator==(const Topology&) const = default;
};

void to_json(nlohmann::json& j, const NodeTopology& n);
void from_json(const nlohmann::json& j, NodeTopology& n);
void to_json(nlohmann::json& j, const Topology& t);
void from_json(const nlohmann::json& j, Topology& t);

// "0-3,8,10-11" <-> {0,1,2,3,8,10,11}: the kernel's cpulist format (as in /sys/.../cpulist).
std::string format_cpu_list(const std::vector<int>& cpus);

}  // namespace numalab::model
