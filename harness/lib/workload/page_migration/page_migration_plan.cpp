#include "workload/page_migration/page_migration_plan.hpp"

#include <algorithm>

namespace numalab::workload {

std::string describe(const MigrationStep& step) {
  return step.kind + " " + format_node_set(step.from) + " -> " + format_node_set(step.to);
}

std::vector<MigrationStep> migration_steps(const NodeSet& m) {
  if (m.size() < 2) return {};
  std::vector<MigrationStep> steps = {{"disjoint", {m[0]}, {m[1]}}};
  if (m.size() == 2) {
    steps.push_back({"fewer new nodes", {m[0], m[1]}, {m[1]}});
    steps.push_back({"same set", {m[0], m[1]}, make_node_set({m[1], m[0]})});
  } else if (m.size() == 3) {
    steps.push_back({"overlapping", {m[0], m[1]}, {m[1], m[2]}});
    steps.push_back({"fewer new nodes", {m[0], m[1], m[2]}, {m[1], m[2]}});
  } else {
    steps.push_back({"disjoint", {m[0], m[1]}, {m[2], m[3]}});
    steps.push_back({"overlapping", {m[0], m[1]}, {m[1], m[2]}});
    steps.push_back({"fewer new nodes", {m[0], m[1], m[2], m[3]}, {m[1], m[2]}});
  }
  return steps;
}

std::vector<FirstTouchThread> first_touch_threads(const model::Topology& topology,
                                                  const NodeSet& memory_nodes, std::size_t threads) {
  std::vector<FirstTouchThread> out;
  if (memory_nodes.empty()) return out;
  const std::size_t n = memory_nodes.size();
  if (threads == 0) threads = n;
  for (std::size_t t = 0; t < threads; ++t) {
    FirstTouchThread thread{memory_nodes[t % n], -1};
    auto node = std::find_if(topology.nodes.begin(), topology.nodes.end(),
                             [&](const model::NodeTopology& nt) { return nt.id == thread.node; });
    if (node != topology.nodes.end() && !node->cpus.empty())
      thread.cpu = node->cpus[(t / n) % node->cpus.size()];
    out.push_back(thread);
  }
  return out;
}

int move_pages_target(std::size_t page, const NodeSet& memory_nodes) {
  if (memory_nodes.empty()) return -1;
  return memory_nodes[page % memory_nodes.size()];
}

}  // namespace numalab::workload
