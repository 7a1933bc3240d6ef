#include "workload/common/guest_state_restore.hpp"

#include <algorithm>
#include <set>

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

namespace {

std::size_t depth(const std::string& path) {
  return static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
}

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos || slash == 0 ? std::string("/") : path.substr(0, slash);
}

bool has_cgroup(const GuestState& s, const std::string& path) {
  return std::any_of(s.cgroups.begin(), s.cgroups.end(), [&](const CgroupDir& d) { return d.path == path; });
}

bool is_mount_point(const GuestState& s, const std::string& path) {
  return std::any_of(s.mounts.begin(), s.mounts.end(), [&](const MountPoint& m) { return m.path == path; });
}

bool under(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.starts_with(dir) && (dir == "/" || path[dir.size()] == '/');
}

std::set<std::string> words(std::string_view text) {
  std::set<std::string> out;
  for (auto w = proc_text::next_word(text); !w.empty(); w = proc_text::next_word(text)) out.emplace(w);
  return out;
}

// The cgroups the workload made, deepest first, each with where its tasks go. A made hierarchy's
// root is a mount point: the unmount takes it.
void remove_cgroups(const GuestState& before, const GuestState& after, std::vector<RestoreStep>& out) {
  std::vector<const CgroupDir*> made;
  for (const auto& d : after.cgroups)
    if (!has_cgroup(before, d.path) && !is_mount_point(after, d.path)) made.push_back(&d);
  std::stable_sort(made.begin(), made.end(),
                   [](auto* a, auto* b) { return depth(a->path) > depth(b->path); });
  for (const auto* d : made) {
    std::string refuge = parent_of(d->path);
    while (refuge != "/" && !has_cgroup(before, refuge) && !is_mount_point(after, refuge))
      refuge = parent_of(refuge);
    out.push_back(RemoveCgroup{d->path, refuge == "/" ? std::string() : refuge});
  }
}

// Controllers switched off deepest first (a parent cannot drop one its children use), then on
// parents first (a child can enable only what its parent has).
void restore_controllers(const GuestState& before, const GuestState& after, std::vector<RestoreStep>& out) {
  std::vector<std::pair<std::string, std::string>> off, on;  // directory, words
  for (const auto& a : after.cgroups)
    for (const auto& b : before.cgroups) {
      if (a.path != b.path || a.subtree_control == b.subtree_control) continue;
      const auto was = words(b.subtree_control), now = words(a.subtree_control);
      std::string minus, plus;
      for (const auto& c : now)
        if (!was.contains(c)) minus += (minus.empty() ? "-" : " -") + c;
      for (const auto& c : was)
        if (!now.contains(c)) plus += (plus.empty() ? "+" : " +") + c;
      if (!minus.empty()) off.emplace_back(a.path, minus);
      if (!plus.empty()) on.emplace_back(a.path, plus);
    }
  auto deeper = [](const auto& x, const auto& y) { return depth(x.first) > depth(y.first); };
  std::stable_sort(off.begin(), off.end(), deeper);
  std::stable_sort(on.begin(), on.end(), [&](const auto& x, const auto& y) { return deeper(y, x); });
  for (const auto& [dir, text] : off) out.push_back(WriteFile{dir + "/cgroup.subtree_control", text});
  for (const auto& [dir, text] : on) out.push_back(WriteFile{dir + "/cgroup.subtree_control", text});
}

// The mounts the workload made, newest first; one that holds an active swap file stays (the swap
// is reported, and a detached mount would hide where it is).
void unmount_made(const GuestState& before, const GuestState& after, std::vector<RestoreStep>& out) {
  for (auto m = after.mounts.rbegin(); m != after.mounts.rend(); ++m) {
    if (std::find(before.mounts.begin(), before.mounts.end(), *m) != before.mounts.end()) continue;
    const bool holds_swap =
        std::any_of(after.swaps.begin(), after.swaps.end(), [&](const auto& s) { return under(s, m->path); });
    if (!holds_swap) out.push_back(Unmount{m->path});
  }
}

void restore_agent(const GuestState& before, const GuestState& after, std::vector<RestoreStep>& out) {
  const auto &b = before.agent, &a = after.agent;
  if (b.cpus_allowed != a.cpus_allowed && !b.cpus_allowed.empty()) out.push_back(SetAffinity{b.cpus_allowed});
  if (b.mempolicy_mode != a.mempolicy_mode || b.mempolicy_nodes != a.mempolicy_nodes)
    out.push_back(SetMempolicy{b.mempolicy_mode, b.mempolicy_nodes});
  if (b.oom_score_adj != a.oom_score_adj)
    out.push_back(WriteFile{"/proc/self/oom_score_adj", std::to_string(b.oom_score_adj)});
  if (b.locked != a.locked && b.locked.starts_with("0 ")) out.push_back(UnlockMemory{});
}

// The agent back in its cgroup v2 cgroup, if that still exists: before the cgroups it may be in go.
void move_agent_back(const GuestState& before, const GuestState& after, std::vector<RestoreStep>& out) {
  const auto &b = before.agent, &a = after.agent;
  if (b.cgroup == a.cgroup || b.cgroup.empty()) return;
  for (const auto& m : after.mounts) {
    if (m.type != "cgroup2") continue;
    const std::string dir = b.cgroup == "/" ? m.path : m.path + b.cgroup;
    if (has_cgroup(after, dir)) out.push_back(WriteFile{dir + "/cgroup.procs", "0"});
    return;
  }
}

}  // namespace

std::vector<RestoreStep> restore_steps(const GuestState& before, const GuestState& after) {
  std::vector<RestoreStep> out;
  for (const auto& c : after.children)
    if (std::find(before.children.begin(), before.children.end(), c) == before.children.end())
      out.push_back(KillChild{c.pid, c.comm});
  move_agent_back(before, after, out);
  remove_cgroups(before, after, out);
  restore_controllers(before, after, out);
  unmount_made(before, after, out);
  for (const auto& [name, value] : before.sysctls) {
    auto now = after.sysctls.find(name);
    if (now != after.sysctls.end() && now->second != value)
      out.push_back(WriteFile{"/proc/sys/" + name, value});
  }
  restore_agent(before, after, out);
  return out;
}

std::string describe(const RestoreStep& step) {
  struct Describe {
    std::string operator()(const KillChild& s) const {
      return "kill child " + std::to_string(s.pid) + " " + s.comm;
    }
    std::string operator()(const RemoveCgroup& s) const {
      return (s.refuge.empty() ? "" : "move the tasks of " + s.path + " to " + s.refuge + ", then ") +
             "rmdir " + s.path;
    }
    std::string operator()(const WriteFile& s) const { return "write \"" + s.text + "\" to " + s.path; }
    std::string operator()(const Unmount& s) const { return "unmount " + s.path; }
    std::string operator()(const SetAffinity& s) const { return "set the agent's affinity to " + s.cpus; }
    std::string operator()(const SetMempolicy& s) const {
      return "set the agent's mempolicy to mode " + std::to_string(s.mode_word) +
             (s.nodes.empty() ? "" : " nodes " + s.nodes);
    }
    std::string operator()(const UnlockMemory&) const { return "munlockall"; }
  };
  return std::visit(Describe{}, step);
}

bool watched_sysctl(std::string_view name) {
  if (name.starts_with("kernel/numa_balancing") || name == "kernel/sysrq") return true;
  if (!name.starts_with("vm/")) return false;
  name.remove_prefix(3);
  return !name.empty() && name.find('/') == std::string_view::npos && name != "stat_refresh";
}

CleanStateReport clean_state_report(const std::vector<StateChange>& found,
                                    const std::vector<StateChange>& remaining,
                                    const std::vector<std::string>& failed_steps) {
  CleanStateReport r;
  // By area and name: a change half undone (one controller of two) is still there.
  for (const auto& c : found)
    if (std::none_of(remaining.begin(), remaining.end(),
                     [&](const StateChange& x) { return x.area == c.area && x.name == c.name; }))
      r.restored.push_back(describe(c));
  for (const auto& c : remaining) r.left.push_back(describe(c));
  for (const auto& f : failed_steps) r.left.push_back("could not " + f);
  return r;
}

}  // namespace numalab::workload
