#pragma once
// The guest state one workload may change and the next one would feel: a fingerprint the agent
// records before each workload and again after it (guest/agent/common/clean_state.hpp), so that
// every workload starts from the state the boot gave. What differs is what the workload left;
// guest_state_restore.hpp says how each difference is put back, and what is still different after
// that is reported on the workload's end message.
//
// Plain values: the agent reads them from /proc and the cgroup file systems, the host's unit tests
// build them by hand.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace numalab::workload {

// A mount, as /proc/self/mountinfo lists it (mountinfo.hpp).
struct MountPoint {
  std::string path;  // "/sys/fs/cgroup"
  std::string type;  // "cgroup2"

  bool operator==(const MountPoint&) const = default;
};

// A directory of a cgroup hierarchy the agent can see.
struct CgroupDir {
  std::string path;             // in the guest: "/sys/fs/cgroup/numalab-rebind-a"
  std::string subtree_control;  // cgroup v2: its cgroup.subtree_control ("cpuset memory"); v1: ""

  bool operator==(const CgroupDir&) const = default;
};

// A process whose parent is the agent (as PID 1, every orphan's too).
struct ChildTask {
  int pid = 0;
  std::string comm;

  bool operator==(const ChildTask&) const = default;
};

// The agent's own placement: what its workloads' children inherit when they are forked.
struct AgentPlacement {
  std::string cgroup;           // its cgroup v2 path (/proc/self/cgroup's "0::" line): "/"
  std::string cpus_allowed;     // its main thread's affinity, Cpus_allowed_list: "0-3"
  std::string mems_allowed;     // Mems_allowed_list, which its cpuset decides: "0-1"
  int mempolicy_mode = 0;       // get_mempolicy's mode word (flags included): 0 is MPOL_DEFAULT
  std::string mempolicy_nodes;  // its nodes, in the list format: "" for MPOL_DEFAULT
  int oom_score_adj = 0;
  std::string locked;  // VmLck ("0 kB"): mlock(2)ed memory

  bool operator==(const AgentPlacement&) const = default;
};

struct GuestState {
  // The sysctls the agent watches (guest_state_restore.hpp's watched_sysctl), by their name under
  // /proc/sys ("kernel/numa_balancing", "vm/zone_reclaim_mode"), with their text without the
  // final newline. One the kernel does not have is not listed.
  std::map<std::string, std::string> sysctls;
  std::vector<MountPoint> mounts;  // in mount order
  std::vector<CgroupDir> cgroups;  // every directory of every cgroup mount, parents first
  std::vector<std::string> swaps;  // the active swap areas' files (/proc/swaps)
  AgentPlacement agent;
  std::vector<ChildTask> children;

  bool operator==(const GuestState&) const = default;
};

enum class StateArea {
  sysctl,
  mount,
  cgroup,
  subtree_control,
  swap,
  child,
  agent_cgroup,
  agent_cpus,
  agent_mems,
  agent_mempolicy,
  agent_oom_score_adj,
  agent_memory_lock,
};

// One difference between two fingerprints. `name` says which sysctl, mount point, cgroup, swap
// file or child ("123 numalab-churn"); it is "" for the agent's own placement. `before` is nullopt
// for something that did not exist, `after` for something that no longer does.
struct StateChange {
  StateArea area = StateArea::sysctl;
  std::string name;
  std::optional<std::string> before;
  std::optional<std::string> after;

  bool operator==(const StateChange&) const = default;
};

// Every difference, grouped by area in the order of StateArea, each area in its own order.
std::vector<StateChange> state_changes(const GuestState& before, const GuestState& after);

// One line for a person: "sysctl kernel/sysrq: 438 -> 1", "cgroup /sys/fs/cgroup/a: made",
// "child 123 numalab-churn: left running", "the agent's affinity: 0-3 -> 1".
std::string describe(const StateChange& change);

}  // namespace numalab::workload
