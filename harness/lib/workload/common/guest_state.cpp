#include "workload/common/guest_state.hpp"

#include <algorithm>

namespace numalab::workload {

namespace {

using Text = std::optional<std::string>;

// Keyed items present before, after or both: one change per key whose value differs.
template <class Item, class Key, class Value>
void diff_items(StateArea area, const std::vector<Item>& before, const std::vector<Item>& after, Key key,
                Value value, std::vector<StateChange>& out) {
  auto find = [&](const std::vector<Item>& items, const std::string& k) -> const Item* {
    for (const auto& i : items)
      if (key(i) == k) return &i;
    return nullptr;
  };
  for (const auto& b : before) {
    const Item* a = find(after, key(b));
    if (!a)
      out.push_back({area, key(b), value(b), std::nullopt});
    else if (value(*a) != value(b))
      out.push_back({area, key(b), value(b), value(*a)});
  }
  for (const auto& a : after)
    if (!find(before, key(a))) out.push_back({area, key(a), std::nullopt, value(a)});
}

void diff_sysctls(const GuestState& b, const GuestState& a, std::vector<StateChange>& out) {
  using Entry = std::pair<std::string, std::string>;
  std::vector<Entry> before(b.sysctls.begin(), b.sysctls.end());
  std::vector<Entry> after(a.sysctls.begin(), a.sysctls.end());
  diff_items(
      StateArea::sysctl, before, after, [](const Entry& e) { return e.first; },
      [](const Entry& e) { return e.second; }, out);
}

void diff_cgroups(const GuestState& b, const GuestState& a, std::vector<StateChange>& out) {
  auto path = [](const CgroupDir& d) { return d.path; };
  diff_items(
      StateArea::cgroup, b.cgroups, a.cgroups, path, [](const CgroupDir&) { return std::string(); }, out);
  // Directories on both sides whose controllers differ.
  std::vector<CgroupDir> before, after;
  for (const auto& d : b.cgroups)
    if (std::find_if(a.cgroups.begin(), a.cgroups.end(), [&](const auto& x) { return x.path == d.path; }) !=
        a.cgroups.end())
      before.push_back(d);
  for (const auto& d : a.cgroups)
    if (std::find_if(before.begin(), before.end(), [&](const auto& x) { return x.path == d.path; }) !=
        before.end())
      after.push_back(d);
  diff_items(
      StateArea::subtree_control, before, after, path, [](const CgroupDir& d) { return d.subtree_control; },
      out);
}

// "default", "bind 0-1", "interleave|static 1"; a mode this file does not know by its number.
std::string mempolicy_text(int mode_word, const std::string& nodes) {
  constexpr int k_static = 1 << 15, k_relative = 1 << 14;  // MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES
  static constexpr const char* k_modes[] = {"default",    "preferred", "bind",
                                            "interleave", "local",     "preferred-many"};
  const int mode = mode_word & ~(k_static | k_relative);
  std::string text = mode >= 0 && mode < 6 ? k_modes[mode] : "mode " + std::to_string(mode);
  if (mode_word & k_static) text += "|static";
  if (mode_word & k_relative) text += "|relative";
  return nodes.empty() ? text : text + " " + nodes;
}

void diff_agent(const AgentPlacement& b, const AgentPlacement& a, std::vector<StateChange>& out) {
  auto add = [&](StateArea area, const std::string& before, const std::string& after) {
    if (before != after) out.push_back({area, "", before, after});
  };
  add(StateArea::agent_cgroup, b.cgroup, a.cgroup);
  add(StateArea::agent_cpus, b.cpus_allowed, a.cpus_allowed);
  add(StateArea::agent_mems, b.mems_allowed, a.mems_allowed);
  add(StateArea::agent_mempolicy, mempolicy_text(b.mempolicy_mode, b.mempolicy_nodes),
      mempolicy_text(a.mempolicy_mode, a.mempolicy_nodes));
  add(StateArea::agent_oom_score_adj, std::to_string(b.oom_score_adj), std::to_string(a.oom_score_adj));
  add(StateArea::agent_memory_lock, b.locked, a.locked);
}

std::string area_name(StateArea area) {
  switch (area) {
    case StateArea::sysctl:
      return "sysctl";
    case StateArea::mount:
      return "mount";
    case StateArea::cgroup:
      return "cgroup";
    case StateArea::subtree_control:
      return "cgroup.subtree_control of";
    case StateArea::swap:
      return "swap";
    case StateArea::child:
      return "child";
    case StateArea::agent_cgroup:
      return "the agent's cgroup";
    case StateArea::agent_cpus:
      return "the agent's affinity";
    case StateArea::agent_mems:
      return "the agent's mems_allowed";
    case StateArea::agent_mempolicy:
      return "the agent's mempolicy";
    case StateArea::agent_oom_score_adj:
      return "the agent's oom_score_adj";
    case StateArea::agent_memory_lock:
      return "the agent's locked memory";
  }
  return "state";
}

std::string quoted(const std::string& s) { return s.empty() ? "\"\"" : s; }

}  // namespace

std::vector<StateChange> state_changes(const GuestState& b, const GuestState& a) {
  std::vector<StateChange> out;
  diff_sysctls(b, a, out);
  auto mount_key = [](const MountPoint& m) { return m.path + " (" + m.type + ")"; };
  diff_items(
      StateArea::mount, b.mounts, a.mounts, mount_key, [](const MountPoint&) { return std::string(); }, out);
  diff_cgroups(b, a, out);
  auto same = [](const std::string& s) { return s; };
  diff_items(
      StateArea::swap, b.swaps, a.swaps, same, [](const std::string&) { return std::string(); }, out);
  // Children the workload left; one that ended meanwhile (reaped by init) is no change to undo.
  auto child_key = [](const ChildTask& c) { return std::to_string(c.pid) + " " + c.comm; };
  std::vector<StateChange> children;
  diff_items(
      StateArea::child, b.children, a.children, child_key, [](const ChildTask&) { return std::string(); },
      children);
  for (auto& c : children)
    if (c.after) out.push_back(std::move(c));
  diff_agent(b.agent, a.agent, out);
  // Grouped by area, in the order of StateArea (stable: each area keeps its own order).
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.area < y.area; });
  return out;
}

std::string describe(const StateChange& c) {
  std::string what = area_name(c.area) + (c.name.empty() ? "" : " " + c.name) + ": ";
  const bool presence = c.area == StateArea::mount || c.area == StateArea::cgroup ||
                        c.area == StateArea::swap || c.area == StateArea::child;
  if (presence) {
    if (!c.before) return what + (c.area == StateArea::child ? "left running" : "made");
    if (!c.after) return what + (c.area == StateArea::child ? "ended" : "removed");
  }
  if (!c.before) return what + "appeared as " + quoted(*c.after);
  if (!c.after) return what + "disappeared (was " + quoted(*c.before) + ")";
  return what + quoted(*c.before) + " -> " + quoted(*c.after);
}

}  // namespace numalab::workload
