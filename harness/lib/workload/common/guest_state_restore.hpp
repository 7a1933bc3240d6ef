#pragma once
// How the agent puts back what a workload left (guest_state.hpp's differences), as plain steps in
// an order the kernel accepts: the workload's leftover children are killed first (they keep
// cgroups busy), the agent goes back to its own cgroup, the cgroups the workload made are removed
// deepest first (their tasks moved to the nearest cgroup that existed before), controllers are
// switched off deepest first and back on parents first, the mounts it made are detached (newest
// first), sysctls are written back, and the agent's affinity, memory policy, oom_score_adj and
// memory lock are reset. The agent takes the steps (guest/agent/common/clean_state.cpp), reads the
// fingerprint again, and reports what is still different.
//
// Not undone, only reported: swap areas turned on or off (swapoff can wait on a server that is
// gone), mounts and cgroups the workload removed, a sysctl that appeared or disappeared, the
// agent's mems_allowed (its cpuset decides it: moving the agent back restores it).

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "workload/common/guest_state.hpp"

namespace numalab::workload {

struct KillChild {
  int pid = 0;
  std::string comm;

  bool operator==(const KillChild&) const = default;
};

// Moves the tasks of `path` to `refuge` (its nearest ancestor that stays), then removes `path`.
struct RemoveCgroup {
  std::string path;
  std::string refuge;

  bool operator==(const RemoveCgroup&) const = default;
};

// Writes `text` to the kernel file `path` in one write(2): a sysctl, a cgroup.subtree_control, the
// agent's cgroup.procs ("0": the writer itself) or oom_score_adj.
struct WriteFile {
  std::string path;
  std::string text;

  bool operator==(const WriteFile&) const = default;
};

struct Unmount {
  std::string path;

  bool operator==(const Unmount&) const = default;
};

struct SetAffinity {
  std::string cpus;  // the list format: "0-3"

  bool operator==(const SetAffinity&) const = default;
};

struct SetMempolicy {
  int mode_word = 0;
  std::string nodes;

  bool operator==(const SetMempolicy&) const = default;
};

struct UnlockMemory {
  bool operator==(const UnlockMemory&) const = default;
};

using RestoreStep =
    std::variant<KillChild, RemoveCgroup, WriteFile, Unmount, SetAffinity, SetMempolicy, UnlockMemory>;

// The steps that take `after` back to `before`, in the order to take them.
std::vector<RestoreStep> restore_steps(const GuestState& before, const GuestState& after);

// The step as a person reads it in an error: "rmdir /sys/fs/cgroup/a", "write 1 to /proc/sys/x".
std::string describe(const RestoreStep& step);

// The sysctls the fingerprint holds, by their name under /proc/sys: every kernel/numa_balancing*
// (the mode and, where the kernel has them here, the scan tunables), every readable vm/* but the
// ones whose read has an effect (vm/stat_refresh), and kernel/sysrq, which cpuset-churn's evidence
// and trigger write.
inline constexpr std::string_view k_watched_sysctl_dirs[] = {"kernel", "vm"};
bool watched_sysctl(std::string_view name);

// What a workload's end message says about the state it left: the differences found after it that
// are gone once the steps were taken ("restored"), and those still there with the steps that
// failed ("left").
struct CleanStateReport {
  std::vector<std::string> restored;
  std::vector<std::string> left;

  bool operator==(const CleanStateReport&) const = default;
};

CleanStateReport clean_state_report(const std::vector<StateChange>& found,
                                    const std::vector<StateChange>& remaining,
                                    const std::vector<std::string>& failed_steps);

}  // namespace numalab::workload
