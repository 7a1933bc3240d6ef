#pragma once
// A task's NUMA memory policy as Linux 6.1 keeps it, and how it follows the task's cpuset: what
// set_mempolicy makes of the nodes given (mpol_new, mpol_set_nodemask), what a change of the
// cpuset's mems or a move to another cpuset makes of it (mpol_rebind_policy, called from
// cpuset_change_task_nodemask through mpol_rebind_task), and what the task then sees of it
// (get_mempolicy, /proc/PID/numa_maps).
//
// The rules (Documentation/admin-guide/mm/numa_memory_policy.rst, mm/mempolicy.c):
// - MPOL_BIND and MPOL_INTERLEAVE with no flag: the nodes are remapped (bitmap_remap) from the
//   mems the policy was last bound to onto the new mems, preserving their cpuset-relative position.
// - MPOL_F_STATIC_NODES: the nodes are the user's nodes that the new mems allow.
// - MPOL_F_RELATIVE_NODES: the user's nodes are positions in the allowed nodes (fold, then onto).
// - With either flag, an empty result means all the new mems (the documentation says "the Default
//   policy is used", which allocates from the same nodes).
// - MPOL_PREFERRED: in 6.1 (since the rework that made MPOL_LOCAL a mode of its own, "don't
//   handle MPOL_LOCAL like a fake MPOL_PREFERRED policy") mpol_rebind_preferred only records the new
//   mems: the preferred node is never remapped, whatever the flags, although the documentation
//   still says it is (older kernels did). Worse, the mems are stored in a union that also holds
//   the user's nodes, so after a change a flagged MPOL_PREFERRED policy reports the cpuset's mems
//   through get_mempolicy instead of the nodes the task gave. The model follows the kernel (an
//   allocation falls back to an allowed node when the preferred one is not allowed);
//   get_mempolicy_accepts also takes the nodes the task gave, as documented, so a kernel that
//   fixes the union is not called wrong.
// - get_mempolicy reports the user's nodes for a policy with a flag and the nodes in effect
//   otherwise; numa_maps shows the nodes in effect, "bind=relative:2-3".

#include <optional>
#include <string>

#include "workload/common/mempolicy_remap.hpp"

namespace numalab::workload {

enum class PolicyMode { preferred = 1, bind = 2, interleave = 3 };  // the kernel's MPOL_* values
enum class PolicyFlags { none, static_nodes, relative_nodes };

struct TaskPolicy {
  PolicyMode mode = PolicyMode::bind;
  PolicyFlags flags = PolicyFlags::none;
  NodeMask user_nodes;   // w.user_nodemask: what set_mempolicy was given (kept with a flag, but see
                         // MPOL_PREFERRED above)
  NodeMask nodes;        // the nodes in effect (pol->nodes)
  NodeMask cpuset_mems;  // w.cpuset_mems_allowed: the mems last bound to (no flag)
  NodeMask given_nodes;  // what set_mempolicy was given, whatever the kernel kept of it

  bool operator==(const TaskPolicy&) const = default;
};

// set_mempolicy(mode | flags, user) in a task whose cpuset allows the memory nodes `allowed`;
// nullopt when the kernel refuses it (EINVAL: no node left).
std::optional<TaskPolicy> create_task_policy(PolicyMode mode, PolicyFlags flags, const NodeMask& user,
                                             const NodeMask& allowed);

// The task's cpuset now allows new_allowed (its mems changed, or the task moved).
void rebind_task_policy(TaskPolicy& policy, const NodeMask& new_allowed);

// The nodemask get_mempolicy(&mode, mask, ..., NULL, 0) returns in the task.
NodeMask get_mempolicy_nodes(const TaskPolicy& policy);

// Whether get_mempolicy may report `reported`: get_mempolicy_nodes, or for a flagged
// MPOL_PREFERRED policy also the nodes the task gave (see above).
bool get_mempolicy_accepts(const TaskPolicy& policy, const NodeMask& reported);

// The policy word of /proc/PID/numa_maps for mappings that follow the task policy:
// "bind:1", "interleave=static:0-1", "prefer=relative:1".
std::string numa_maps_policy(const TaskPolicy& policy);

// "MPOL_BIND", "MPOL_INTERLEAVE|MPOL_F_STATIC_NODES", ...
std::string policy_name(PolicyMode mode, PolicyFlags flags);

}  // namespace numalab::workload
