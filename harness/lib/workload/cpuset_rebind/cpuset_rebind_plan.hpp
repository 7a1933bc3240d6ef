#pragma once
// What the cpuset-rebind workload does, as data: the policies its tasks set, the mems their cpuset
// goes through and the cpusets they are moved between, all chosen from the guest's memory nodes so
// that every kind of change happens that the nodes allow (shrinking, disjoint, growing,
// overlapping; on two nodes 0-1 -> 1 -> 0 -> 0-1 -> 0).

#include <string>
#include <vector>

#include "workload/common/mempolicy_remap.hpp"
#include "workload/cpuset_rebind/mempolicy_model.hpp"

namespace numalab::workload {

struct PolicyCase {
  PolicyMode mode = PolicyMode::bind;
  PolicyFlags flags = PolicyFlags::none;
  NodeMask user;  // the nodes given to set_mempolicy

  bool operator==(const PolicyCase&) const = default;
};

// The nine policies (bind, preferred, interleave, each with no flag, MPOL_F_STATIC_NODES and
// MPOL_F_RELATIVE_NODES) set by tasks in a cpuset whose mems are `mems`: bind and interleave over
// all of them (relative: positions 0..n-1), preferred on the last one (relative: position n-1).
std::vector<PolicyCase> rebind_policy_cases(const NodeMask& mems);

// The mems the tasks' cpuset goes through, starting with the mems the policies are set in; no two
// neighbours are equal. Empty when fewer than two memory nodes.
std::vector<NodeMask> rebind_mems_walk(const NodeMask& memory_nodes);

// The cpusets the tasks then move through, starting from the walk's last mems: to the other nodes
// (disjoint), to all nodes (growing), back to the start (shrinking).
std::vector<NodeMask> rebind_move_walk(const NodeMask& memory_nodes, const NodeMask& start);

}  // namespace numalab::workload
