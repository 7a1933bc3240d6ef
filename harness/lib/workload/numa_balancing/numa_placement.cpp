#include "workload/numa_balancing/numa_placement.hpp"

#include <algorithm>

namespace numalab::workload {

namespace {

const model::NodeTopology* find_node(const model::Topology& t, int id) {
  for (const auto& n : t.nodes)
    if (n.id == id) return &n;
  return nullptr;
}

// SLIT distance between two node ids; 10 for itself and 20 when the matrix does not say.
int distance(const model::Topology& t, int from, int to) {
  if (from == to) return 10;
  auto index = [&](int id) -> std::size_t {
    for (std::size_t i = 0; i < t.nodes.size(); ++i)
      if (t.nodes[i].id == id) return i;
    return t.nodes.size();
  };
  std::size_t i = index(from), j = index(to);
  if (i < t.distances.size() && j < t.distances[i].size()) return t.distances[i][j];
  return 20;
}

// The memory node for inverse-bind: the farthest from the CPUs' local memory node, never it.
int farthest_memory_node(const model::Topology& t, int cpu_node) {
  int local = local_memory_node(t, cpu_node);
  int best = -1, best_distance = -1;
  for (const auto& n : t.nodes) {
    if (n.memory_kb == 0 || n.id == local || n.id == cpu_node) continue;
    int d = distance(t, local, n.id);
    if (d > best_distance) best = n.id, best_distance = d;
  }
  return best;
}

struct Candidate {
  int cpu;
  int node;
};

std::vector<Candidate> candidate_cpus(const model::Topology& t, bool need_memory) {
  std::vector<Candidate> out;
  for (const auto& n : t.nodes)
    if (!need_memory || n.memory_kb > 0)
      for (int c : n.cpus) out.push_back({c, n.id});
  return out;
}

std::expected<UnitPlacement, std::string> place_unit(const model::Topology& t, BindVariant variant,
                                                     const std::vector<Candidate>& candidates,
                                                     std::size_t unit, std::size_t units) {
  const Candidate& c = candidates[unit * candidates.size() / units];
  UnitPlacement p;
  p.cpu_node = c.node;
  p.cpus = find_node(t, c.node)->cpus;
  p.memory_node = variant == BindVariant::hard_bind ? c.node : farthest_memory_node(t, c.node);
  if (p.memory_node < 0)
    return std::unexpected("inverse-bind needs a node with memory other than node " +
                           std::to_string(local_memory_node(t, c.node)) + ", the local memory of node " +
                           std::to_string(c.node) + "'s CPUs");
  return p;
}

}  // namespace

std::optional<BindVariant> bind_variant_from(std::string_view text) {
  if (text == "hard-bind") return BindVariant::hard_bind;
  if (text == "inverse-bind") return BindVariant::inverse_bind;
  return std::nullopt;
}

std::string_view to_string(BindVariant v) {
  switch (v) {
    case BindVariant::hard_bind:
      return "hard-bind";
    case BindVariant::inverse_bind:
      return "inverse-bind";
    case BindVariant::none:
      break;
  }
  return "none";
}

int local_memory_node(const model::Topology& topology, int node) {
  const auto* n = find_node(topology, node);
  if (!n) return -1;
  if (n->memory_kb > 0) return node;
  int best = -1, best_distance = 0;
  for (const auto& m : topology.nodes) {
    if (m.memory_kb == 0) continue;
    int d = distance(topology, node, m.id);
    if (best < 0 || d < best_distance) best = m.id, best_distance = d;
  }
  return best;
}

std::vector<int> memory_node_by_cpu(const model::Topology& topology) {
  std::vector<int> out;
  for (const auto& n : topology.nodes) {
    int local = local_memory_node(topology, n.id);
    for (int c : n.cpus) {
      if (c < 0) continue;
      if (static_cast<std::size_t>(c) >= out.size()) out.resize(static_cast<std::size_t>(c) + 1, -1);
      out[static_cast<std::size_t>(c)] = local;
    }
  }
  return out;
}

std::expected<WorkloadPlacement, std::string> plan_placement(const model::Topology& topology,
                                                             BindVariant variant,
                                                             const WorkloadShape& shape) {
  if (shape.processes == 0 || shape.threads_per_process == 0) return std::unexpected("no threads to place");
  WorkloadPlacement out;
  const std::size_t units =
      shape.bind_per_thread ? shape.processes * shape.threads_per_process : shape.processes;
  std::vector<UnitPlacement> placed(units);
  if (variant == BindVariant::none) {
    auto first = std::find_if(topology.nodes.begin(), topology.nodes.end(),
                              [](const auto& n) { return n.memory_kb > 0 && !n.cpus.empty(); });
    if (first != topology.nodes.end()) {
      out.first_touch_node = first->id;
      out.first_touch_cpus = first->cpus;
    }
  } else {
    auto candidates = candidate_cpus(topology, variant == BindVariant::hard_bind);
    if (candidates.empty())
      return std::unexpected(std::string(to_string(variant)) +
                             (variant == BindVariant::hard_bind ? " needs a node with both CPUs and memory"
                                                                : " needs a node with CPUs"));
    for (std::size_t u = 0; u < units; ++u) {
      auto p = place_unit(topology, variant, candidates, u, units);
      if (!p) return std::unexpected(p.error());
      placed[u] = std::move(*p);
    }
  }
  const auto everywhere = candidate_cpus(topology, false);
  const std::size_t all_threads = shape.processes * shape.threads_per_process;
  for (std::size_t p = 0; p < shape.processes; ++p) {
    for (std::size_t t = 0; t < shape.threads_per_process; ++t) {
      std::size_t unit = shape.bind_per_thread ? p * shape.threads_per_process + t : p;
      ThreadLayout layout{p, shape.shared_buffer ? 0 : t, placed[unit], {}};
      if (variant == BindVariant::none && !everywhere.empty()) {
        // Threads of one process alternate: process p's thread t is number t * processes + p.
        const Candidate& c = everywhere[(t * shape.processes + p) * everywhere.size() / all_threads];
        layout.start_cpus = find_node(topology, c.node)->cpus;
      }
      out.threads.push_back(std::move(layout));
    }
  }
  return out;
}

}  // namespace numalab::workload
