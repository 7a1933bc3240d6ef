// The clean-state fingerprint (workload/common/guest_state.hpp): what differs between two, and how
// each difference reads.

#include "workload/common/guest_state.hpp"

#include <gtest/gtest.h>

#include <string>

#include "guest_state_test_support.hpp"

namespace numalab::workload {
namespace {

using testing::booted;

TEST(GuestStateTest, TheSameStateHasNoChanges) { EXPECT_TRUE(state_changes(booted(), booted()).empty()); }

TEST(GuestStateTest, SaysWhatAWorkloadLeftInOrder) {
  GuestState after = booted();
  after.sysctls["kernel/sysrq"] = "1";
  after.mounts.push_back({"/run/numalab-cpuset-v1", "cgroup"});
  after.cgroups = {{"/sys/fs/cgroup", "cpuset"}, {"/sys/fs/cgroup/numalab-rebind-a", ""}};
  after.children = {{412, "numalab-policy"}};
  after.agent.cpus_allowed = "1";
  after.agent.mempolicy_mode = 2 | (1 << 15);
  after.agent.mempolicy_nodes = "1";
  std::vector<std::string> lines;
  for (const auto& c : state_changes(booted(), after)) lines.push_back(describe(c));
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "sysctl kernel/sysrq: 438 -> 1",
                       "mount /run/numalab-cpuset-v1 (cgroup): made",
                       "cgroup /sys/fs/cgroup/numalab-rebind-a: made",
                       "cgroup.subtree_control of /sys/fs/cgroup: \"\" -> cpuset",
                       "child 412 numalab-policy: left running",
                       "the agent's affinity: 0-3 -> 1",
                       "the agent's mempolicy: default -> bind|static 1",
                   }));
}

TEST(GuestStateTest, AChildThatEndedIsNoChange) {
  GuestState before = booted();
  before.children = {{300, "rpcbind"}};
  EXPECT_TRUE(state_changes(before, booted()).empty());
}

TEST(GuestStateTest, RemovedThingsAndSysctlsThatComeAndGo) {
  GuestState after = booted();
  after.mounts.pop_back();
  after.cgroups.clear();
  after.sysctls.erase("vm/zone_reclaim_mode");
  after.sysctls["kernel/numa_balancing_promote_rate_limit_MBps"] = "65536";
  std::vector<std::string> lines;
  for (const auto& c : state_changes(booted(), after)) lines.push_back(describe(c));
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "sysctl vm/zone_reclaim_mode: disappeared (was 0)",
                       "sysctl kernel/numa_balancing_promote_rate_limit_MBps: appeared as 65536",
                       "mount /sys/fs/cgroup (cgroup2): removed",
                       "cgroup /sys/fs/cgroup: removed",
                   }));
}

}  // namespace
}  // namespace numalab::workload
