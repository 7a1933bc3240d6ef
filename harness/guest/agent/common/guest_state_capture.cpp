#include "common/guest_state_capture.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

#include "common/proc_file.hpp"
#include "workload/common/guest_state_restore.hpp"
#include "workload/common/mempolicy_remap.hpp"
#include "workload/common/mountinfo.hpp"
#include "workload/common/proc_cgroups.hpp"
#include "workload/common/proc_stat.hpp"
#include "workload/common/proc_status.hpp"
#include "workload/common/proc_swaps.hpp"
#include "workload/common/proc_text.hpp"

namespace numalab::guest {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_max_sysctl_bytes = 4096;
constexpr std::size_t k_max_processes = 65536;
constexpr int k_max_cgroup_depth = 16;
constexpr std::size_t k_mask_words = workload::k_max_node_ids / (CHAR_BIT * sizeof(unsigned long));
constexpr unsigned long k_maxnode = workload::k_max_node_ids + 1;  // the kernel counts one bit less

// A guest path ("/sys/fs/cgroup") under root.
fs::path at(const fs::path& root, const std::string& guest_path) {
  return root / fs::path(guest_path).relative_path();
}

std::string trimmed(std::string text) {
  while (!text.empty() && workload::proc_text::is_space(text.back())) text.pop_back();
  return text;
}

void read_sysctls(const fs::path& root, workload::GuestState& s) {
  for (std::string_view dir : workload::k_watched_sysctl_dirs) {
    std::error_code ec;
    for (fs::directory_iterator it(root / "proc/sys" / dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = std::string(dir) + "/" + it->path().filename().string();
      if (!workload::watched_sysctl(name) || !it->is_regular_file(ec)) continue;
      if (auto text = read_proc_file(it->path(), k_max_sysctl_bytes)) s.sysctls[name] = trimmed(*text);
    }
  }
}

// Every directory of the mount, parents first, up to the bounds.
void read_cgroup_tree(const fs::path& root, const workload::MountEntry& m, workload::GuestState& s) {
  const bool v2 = m.type == "cgroup2";
  auto add = [&](const std::string& guest_path) {
    std::string controllers;
    if (v2)
      if (auto t = read_proc_file(at(root, guest_path) / "cgroup.subtree_control", 4096))
        controllers = trimmed(*t);
    s.cgroups.push_back({guest_path, controllers});
  };
  add(m.path);
  std::error_code ec;
  fs::recursive_directory_iterator it(at(root, m.path), fs::directory_options::skip_permission_denied, ec),
      end;
  for (; !ec && it != end && s.cgroups.size() < k_max_cgroup_dirs; it.increment(ec)) {
    if (!it->is_directory(ec) || it->is_symlink(ec)) continue;
    if (it.depth() >= k_max_cgroup_depth) {
      it.disable_recursion_pending();
      continue;
    }
    add((fs::path(m.path) / fs::relative(it->path(), at(root, m.path), ec)).string());
  }
}

void read_mounts_and_cgroups(const fs::path& root, workload::GuestState& s) {
  auto text = read_proc_file(root / "proc/self/mountinfo", 256 * 1024);
  if (!text) return;
  for (const auto& m : workload::parse_mountinfo(*text)) {
    s.mounts.push_back({m.path, m.type});
    if (m.type == "cgroup" || m.type == "cgroup2") read_cgroup_tree(root, m, s);
  }
}

void read_swaps(const fs::path& root, workload::GuestState& s) {
  if (auto text = read_proc_file(root / "proc/swaps", 64 * 1024))
    for (const auto& a : workload::parse_proc_swaps(*text)) s.swaps.push_back(a.filename);
}

workload::AgentPlacement read_agent(const fs::path& root) {
  workload::AgentPlacement a;
  if (auto status = read_proc_file(root / "proc/thread-self/status", workload::k_max_proc_status_bytes)) {
    a.cpus_allowed = workload::status_field(*status, "Cpus_allowed_list").value_or("");
    a.mems_allowed = workload::status_field(*status, "Mems_allowed_list").value_or("");
    a.locked = workload::status_field(*status, "VmLck").value_or("");
  }
  if (auto text = read_proc_file(root / "proc/self/cgroup", 16 * 1024))
    a.cgroup = workload::unified_cgroup_path(*text).value_or("");
  if (auto text = read_proc_file(root / "proc/self/oom_score_adj", 64)) {
    std::string_view rest = *text;
    a.oom_score_adj = workload::proc_text::to_signed<int>(workload::proc_text::next_word(rest)).value_or(0);
  }
  int mode = 0;
  unsigned long mask[k_mask_words] = {};
  // The system call itself, not libnuma's wrapper: the host's unit tests run this too.
  if (::syscall(SYS_get_mempolicy, &mode, mask, k_maxnode, nullptr, 0) == 0) {
    workload::NodeMask nodes;
    for (std::size_t b = 0; b < nodes.size(); ++b)
      if (mask[b / (CHAR_BIT * sizeof(unsigned long))] & (1UL << (b % (CHAR_BIT * sizeof(unsigned long)))))
        nodes.set(b);
    a.mempolicy_mode = mode;
    a.mempolicy_nodes = workload::format_node_list(nodes);
  }
  return a;
}

// The processes whose parent is this one, zombies aside (init's handler reaps them).
void read_children(const fs::path& root, workload::GuestState& s) {
  const int self = ::getpid();
  std::error_code ec;
  std::size_t seen = 0;
  for (fs::directory_iterator it(root / "proc", ec), end; !ec && it != end && seen < k_max_processes;
       it.increment(ec), ++seen) {
    const std::string name = it->path().filename().string();
    if (!workload::proc_text::to_unsigned<unsigned>(name)) continue;
    auto text = read_proc_file(it->path() / "stat", workload::k_max_proc_stat_bytes);
    if (!text) continue;  // it ended meanwhile
    auto stat = workload::parse_proc_stat(*text);
    if (stat && stat->ppid == self && stat->state != 'Z') s.children.push_back({stat->pid, stat->comm});
  }
}

}  // namespace

workload::GuestState capture_guest_state(const fs::path& root) {
  workload::GuestState s;
  read_sysctls(root, s);
  read_mounts_and_cgroups(root, s);
  read_swaps(root, s);
  s.agent = read_agent(root);
  read_children(root, s);
  return s;
}

}  // namespace numalab::guest
