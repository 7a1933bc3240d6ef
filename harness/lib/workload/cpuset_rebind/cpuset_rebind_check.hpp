#pragma once
// Comparing what a task sees of its memory policy after a cpuset change with what the kernel's
// rules give (mempolicy_model.hpp), in messages a developer can act on:
//   "MPOL_BIND, v1 mems 0-1 -> 1: expected nodes 1, kernel reports 0-1 (get_mempolicy); the
//    policy still names the nodes it had before the change: it was not rebound"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workload/cpuset_rebind/mempolicy_model.hpp"

namespace numalab::workload {

inline constexpr int k_mpol_f_static_nodes = 1 << 15;    // MPOL_F_STATIC_NODES
inline constexpr int k_mpol_f_relative_nodes = 1 << 14;  // MPOL_F_RELATIVE_NODES

// The mode word set_mempolicy takes and get_mempolicy returns: MPOL_BIND | MPOL_F_STATIC_NODES, ...
int policy_mode_word(PolicyMode mode, PolicyFlags flags);

// What the task saw: get_mempolicy's mode word and nodemask, and the policy word of numa_maps for
// its buffer ("" when the mapping was not found).
struct SeenPolicy {
  int mode_word = -1;
  NodeMask reported;
  std::string numa_maps;
};

// One change of the task's cpuset, for messages: "v1 mems 0-1 -> 1", "v2 task moved, mems 0 -> 1".
struct CpusetChange {
  std::string what;
};

// The mismatches between `seen` and `expected` (the model after the change; `before` is the model
// before it, to tell a policy that was not rebound at all). Empty when all agree.
std::vector<std::string> policy_mismatches(const CpusetChange& change, const TaskPolicy& expected,
                                           const TaskPolicy& before, const SeenPolicy& seen);

// The policy word of the mapping of /proc/PID/numa_maps that holds `address` (the line with the
// greatest start at or below it): "bind=static:1", "prefer (many):0-1", ...; "" when no line does.
// (numa_maps.hpp's parser drops lines whose policy has a flag, "bind=static:1", as malformed.)
std::string numa_maps_policy_at(std::string_view numa_maps, std::uint64_t address);

// The nodes of a numa_maps policy word ("bind=static:0-1" -> 0-1); nullopt when it has none or
// is malformed.
std::optional<NodeMask> numa_maps_policy_nodes(const std::string& word);

}  // namespace numalab::workload
