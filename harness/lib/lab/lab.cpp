#include "lab/lab.hpp"

#include <numeric>

namespace numalab::lab {

std::string SourceLocation::to_string() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line);
}

int Machine::cpu_count() const {
  int count = 0;
  for (const auto& node : nodes) count += static_cast<int>(node.cpus.size());
  return count;
}

std::uint64_t Machine::memory_bytes() const {
  return std::accumulate(nodes.begin(), nodes.end(), std::uint64_t{0},
                         [](std::uint64_t sum, const NumaNode& node) { return sum + node.memory_bytes; });
}

model::Topology Machine::topology() const {
  model::Topology topology;
  for (const auto& node : nodes)
    topology.nodes.push_back(model::NodeTopology{node.id, node.cpus, node.memory_bytes / 1024});
  topology.distances = distances;
  return topology;
}

const Machine* Lab::find_machine(const std::string& machine_name) const {
  for (const auto& machine : machines)
    if (machine.name == machine_name) return &machine;
  return nullptr;
}

std::string workload_label(const Workload& w) {
  const auto variant = w.params.find("variant");
  if (variant == w.params.end() || !variant->is_string()) return w.name;
  return w.name + "/" + variant->get<std::string>();
}

}  // namespace numalab::lab
