#include "workload/cpuset_rebind/mempolicy_model.hpp"

namespace numalab::workload {

namespace {

// mpol_new_nodemask / mpol_new_preferred: the nodes a policy keeps from a non-empty mask.
NodeMask created_nodes(PolicyMode mode, const NodeMask& mask) {
  if (mode != PolicyMode::preferred) return mask;
  NodeMask one;
  one.set(static_cast<std::size_t>(first_node(mask)));
  return one;
}

// mpol_rebind_nodemask (MPOL_BIND, MPOL_INTERLEAVE).
void rebind_nodemask(TaskPolicy& p, const NodeMask& allowed) {
  NodeMask next;
  if (p.flags == PolicyFlags::static_nodes) {
    next = p.user_nodes & allowed;
  } else if (p.flags == PolicyFlags::relative_nodes) {
    next = relative_nodes(p.user_nodes, allowed);
  } else {
    next = remap_nodes(p.nodes, p.cpuset_mems, allowed);
    p.cpuset_mems = allowed;
  }
  p.nodes = next.none() ? allowed : next;
}

}  // namespace

std::optional<TaskPolicy> create_task_policy(PolicyMode mode, PolicyFlags flags, const NodeMask& user,
                                             const NodeMask& allowed) {
  if (user.none()) return std::nullopt;  // MPOL_PREFERRED with no node is MPOL_LOCAL: not modelled
  NodeMask usable = flags == PolicyFlags::relative_nodes ? relative_nodes(user, allowed) : user & allowed;
  if (usable.none()) return std::nullopt;
  TaskPolicy p;
  p.mode = mode;
  p.flags = flags;
  p.given_nodes = user;
  p.nodes = created_nodes(mode, usable);
  if (flags == PolicyFlags::none)
    p.cpuset_mems = allowed;
  else
    p.user_nodes = user;
  return p;
}

void rebind_task_policy(TaskPolicy& p, const NodeMask& new_allowed) {
  if (p.flags == PolicyFlags::none && p.cpuset_mems == new_allowed) return;
  if (p.mode == PolicyMode::preferred) {
    // mpol_rebind_preferred: "pol->w.cpuset_mems_allowed = *nodes", and nothing else. w is a union
    // of cpuset_mems_allowed and user_nodemask, so with a flag the user's nodes are lost too.
    p.cpuset_mems = new_allowed;
    if (p.flags != PolicyFlags::none) p.user_nodes = new_allowed;
  } else {
    rebind_nodemask(p, new_allowed);
  }
}

NodeMask get_mempolicy_nodes(const TaskPolicy& p) {
  return p.flags == PolicyFlags::none ? p.nodes : p.user_nodes;
}

bool get_mempolicy_accepts(const TaskPolicy& p, const NodeMask& reported) {
  if (reported == get_mempolicy_nodes(p)) return true;
  return p.mode == PolicyMode::preferred && p.flags != PolicyFlags::none && reported == p.given_nodes;
}

std::string numa_maps_policy(const TaskPolicy& p) {
  std::string out = p.mode == PolicyMode::bind         ? "bind"
                    : p.mode == PolicyMode::interleave ? "interleave"
                                                       : "prefer";
  if (p.flags == PolicyFlags::static_nodes) out += "=static";
  if (p.flags == PolicyFlags::relative_nodes) out += "=relative";
  if (p.nodes.any()) out += ":" + format_node_list(p.nodes);
  return out;
}

std::string policy_name(PolicyMode mode, PolicyFlags flags) {
  std::string out = mode == PolicyMode::bind         ? "MPOL_BIND"
                    : mode == PolicyMode::interleave ? "MPOL_INTERLEAVE"
                                                     : "MPOL_PREFERRED";
  if (flags == PolicyFlags::static_nodes) out += "|MPOL_F_STATIC_NODES";
  if (flags == PolicyFlags::relative_nodes) out += "|MPOL_F_RELATIVE_NODES";
  return out;
}

}  // namespace numalab::workload
