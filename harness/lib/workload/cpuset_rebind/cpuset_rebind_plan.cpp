#include "workload/cpuset_rebind/cpuset_rebind_plan.hpp"

namespace numalab::workload {

namespace {

NodeMask first_n(const NodeMask& set, std::size_t n) {
  NodeMask out;
  for (int id : node_ids(set)) {
    if (out.count() == n) break;
    out.set(static_cast<std::size_t>(id));
  }
  return out;
}

NodeMask last_n(const NodeMask& set, std::size_t n) {
  auto ids = node_ids(set);
  NodeMask out;
  for (std::size_t i = ids.size() > n ? ids.size() - n : 0; i < ids.size(); ++i)
    out.set(static_cast<std::size_t>(ids[i]));
  return out;
}

NodeMask every_other(const NodeMask& set) {
  auto ids = node_ids(set);
  NodeMask out;
  for (std::size_t i = 0; i < ids.size(); i += 2) out.set(static_cast<std::size_t>(ids[i]));
  return out;
}

void push_changed(std::vector<NodeMask>& walk, const NodeMask& mems) {
  if (mems.any() && (walk.empty() || walk.back() != mems)) walk.push_back(mems);
}

}  // namespace

std::vector<PolicyCase> rebind_policy_cases(const NodeMask& mems) {
  const std::size_t n = mems.count();
  NodeMask positions;
  for (std::size_t i = 0; i < n; ++i) positions.set(i);
  NodeMask last = last_n(mems, 1);
  NodeMask last_position;
  if (n > 0) last_position.set(n - 1);
  std::vector<PolicyCase> cases;
  for (auto mode : {PolicyMode::bind, PolicyMode::preferred, PolicyMode::interleave}) {
    bool one = mode == PolicyMode::preferred;
    cases.push_back({mode, PolicyFlags::none, one ? last : mems});
    cases.push_back({mode, PolicyFlags::static_nodes, one ? last : mems});
    cases.push_back({mode, PolicyFlags::relative_nodes, one ? last_position : positions});
  }
  return cases;
}

std::vector<NodeMask> rebind_mems_walk(const NodeMask& memory_nodes) {
  const std::size_t k = memory_nodes.count();
  std::vector<NodeMask> walk;
  if (k < 2) return walk;
  if (k == 2) {
    NodeMask a = first_n(memory_nodes, 1), b = last_n(memory_nodes, 1);
    for (const auto& m : {memory_nodes, b, a, memory_nodes, a}) push_changed(walk, m);
    return walk;
  }
  const std::size_t h = k / 2;
  NodeMask lower = first_n(memory_nodes, h), upper = last_n(memory_nodes, h);
  NodeMask upper_grown = last_n(memory_nodes, h + 1);
  for (const auto& m :
       {lower, upper, upper_grown, memory_nodes, last_n(memory_nodes, 1), every_other(memory_nodes), lower})
    push_changed(walk, m);
  return walk;
}

std::vector<NodeMask> rebind_move_walk(const NodeMask& memory_nodes, const NodeMask& start) {
  std::vector<NodeMask> walk;
  NodeMask others = memory_nodes & ~start;
  push_changed(walk, start);
  push_changed(walk, others.any() ? others : last_n(memory_nodes, 1));
  push_changed(walk, memory_nodes);
  push_changed(walk, start);
  return walk;
}

}  // namespace numalab::workload
