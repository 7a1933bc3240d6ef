// How the agent puts back what a workload left (workload/common/guest_state_restore.hpp): the
// steps and their order, the sysctls it watches, and what the end message reports.

#include "workload/common/guest_state_restore.hpp"

#include <gtest/gtest.h>

#include <string>

#include "guest_state_test_support.hpp"

namespace numalab::workload {
namespace {

using testing::booted;

std::vector<std::string> described(const std::vector<RestoreStep>& steps) {
  std::vector<std::string> out;
  for (const auto& s : steps) out.push_back(describe(s));
  return out;
}

TEST(GuestStateRestoreTest, NothingToDoForTheSameState) {
  EXPECT_TRUE(restore_steps(booted(), booted()).empty());
}

TEST(GuestStateRestoreTest, PutsEverythingBackInAnOrderTheKernelAccepts) {
  GuestState after = booted();
  after.children = {{412, "numalab-policy"}};
  after.agent.cgroup = "/numalab-a/inner";
  after.cgroups = {{"/sys/fs/cgroup", "cpuset"},
                   {"/sys/fs/cgroup/numalab-a", "cpuset"},
                   {"/sys/fs/cgroup/numalab-a/inner", ""}};
  after.mounts.push_back({"/sys/kernel/debug", "debugfs"});
  after.mounts.push_back({"/export", "tmpfs"});
  after.sysctls["kernel/sysrq"] = "1";
  after.agent.cpus_allowed = "2-3";
  after.agent.mempolicy_mode = 3;
  after.agent.mempolicy_nodes = "0-1";
  after.agent.oom_score_adj = -1000;
  after.agent.locked = "2048 kB";
  EXPECT_EQ(
      described(restore_steps(booted(), after)),
      (std::vector<std::string>{
          "kill child 412 numalab-policy",
          "write \"0\" to /sys/fs/cgroup/cgroup.procs",
          "move the tasks of /sys/fs/cgroup/numalab-a/inner to /sys/fs/cgroup, then rmdir "
          "/sys/fs/cgroup/numalab-a/inner",
          "move the tasks of /sys/fs/cgroup/numalab-a to /sys/fs/cgroup, then rmdir /sys/fs/cgroup/numalab-a",
          "write \"-cpuset\" to /sys/fs/cgroup/cgroup.subtree_control",
          "unmount /export",
          "unmount /sys/kernel/debug",
          "write \"438\" to /proc/sys/kernel/sysrq",
          "set the agent's affinity to 0-3",
          "set the agent's mempolicy to mode 0",
          "write \"0\" to /proc/self/oom_score_adj",
          "munlockall",
      }));
}

TEST(GuestStateRestoreTest, ControllersGoOffDeepestFirstAndOnParentsFirst) {
  GuestState before = booted();
  before.cgroups = {{"/sys/fs/cgroup", "memory"}, {"/sys/fs/cgroup/a", "memory"}, {"/sys/fs/cgroup/a/b", ""}};
  GuestState after = before;
  after.cgroups = {{"/sys/fs/cgroup", "cpuset"}, {"/sys/fs/cgroup/a", "cpuset"}, {"/sys/fs/cgroup/a/b", ""}};
  EXPECT_EQ(described(restore_steps(before, after)),
            (std::vector<std::string>{
                "write \"-cpuset\" to /sys/fs/cgroup/a/cgroup.subtree_control",
                "write \"-cpuset\" to /sys/fs/cgroup/cgroup.subtree_control",
                "write \"+memory\" to /sys/fs/cgroup/cgroup.subtree_control",
                "write \"+memory\" to /sys/fs/cgroup/a/cgroup.subtree_control",
            }));
}

// A cgroup v1 cpuset hierarchy left mounted with a cpuset in it (cpuset-rebind's, had it not
// cleaned up): the cpuset's tasks go to the hierarchy's root, the cpuset goes, then the mount.
TEST(GuestStateRestoreTest, ALeftoverV1HierarchyIsEmptiedThenUnmounted) {
  GuestState after = booted();
  after.mounts.push_back({"/run/numalab-cpuset-v1", "cgroup"});
  after.cgroups.push_back({"/run/numalab-cpuset-v1", ""});
  after.cgroups.push_back({"/run/numalab-cpuset-v1/numalab-rebind-a", ""});
  EXPECT_EQ(
      described(restore_steps(booted(), after)),
      (std::vector<std::string>{
          "move the tasks of /run/numalab-cpuset-v1/numalab-rebind-a to /run/numalab-cpuset-v1, then rmdir "
          "/run/numalab-cpuset-v1/numalab-rebind-a",
          "unmount /run/numalab-cpuset-v1",
      }));
}

TEST(GuestStateRestoreTest, LeavesWhatItCannotUndoToTheReport) {
  GuestState after = booted();
  after.mounts.push_back({"/mnt/numalab-swap-nfs", "nfs4"});
  after.swaps = {"/mnt/numalab-swap-nfs/swapfile"};
  after.mounts.erase(after.mounts.begin() + 1);  // /proc gone: not remounted
  after.agent.mems_allowed = "1";                // follows the agent's cpuset
  after.sysctls.erase("kernel/sysrq");
  after.agent.locked = "4 kB";
  GuestState before = booted();
  before.agent.locked = "8 kB";  // locked before: munlockall would undo that too
  EXPECT_TRUE(restore_steps(before, after).empty()) << "the mount holding an active swap file stays";
}

TEST(GuestStateRestoreTest, WatchesTheNumaBalancingAndVmSysctls) {
  EXPECT_TRUE(watched_sysctl("kernel/numa_balancing"));
  EXPECT_TRUE(watched_sysctl("kernel/numa_balancing_promote_rate_limit_MBps"));
  EXPECT_TRUE(watched_sysctl("kernel/sysrq"));
  EXPECT_TRUE(watched_sysctl("vm/zone_reclaim_mode"));
  EXPECT_FALSE(watched_sysctl("vm/stat_refresh")) << "reading it refreshes the counters";
  EXPECT_FALSE(watched_sysctl("kernel/random/uuid"));
  EXPECT_FALSE(watched_sysctl("kernel/tainted"));
  EXPECT_FALSE(watched_sysctl("vm/"));
}

TEST(GuestStateRestoreTest, ReportsWhatWasRestoredAndWhatIsLeft) {
  const StateChange sysrq{StateArea::sysctl, "kernel/sysrq", "438", "1"};
  const StateChange mount{StateArea::mount, "/mnt/x (nfs4)", std::nullopt, ""};
  const StateChange half{StateArea::subtree_control, "/sys/fs/cgroup", "", "cpuset memory"};
  const StateChange still{StateArea::subtree_control, "/sys/fs/cgroup", "", "memory"};
  auto report =
      clean_state_report({sysrq, mount, half}, {mount, still}, {"unmount /mnt/x: Device or resource busy"});
  EXPECT_EQ(report.restored, (std::vector<std::string>{"sysctl kernel/sysrq: 438 -> 1"}));
  EXPECT_EQ(report.left, (std::vector<std::string>{
                             "mount /mnt/x (nfs4): made",
                             "cgroup.subtree_control of /sys/fs/cgroup: \"\" -> memory",
                             "could not unmount /mnt/x: Device or resource busy",
                         }));
  EXPECT_EQ(clean_state_report({}, {}, {}), CleanStateReport{});
}

}  // namespace
}  // namespace numalab::workload
