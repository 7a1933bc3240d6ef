#include "workload/cpuset_rebind/cpuset_rebind_plan.hpp"

#include <gtest/gtest.h>

#include "workload/cpuset_rebind/cpuset_rebind_check.hpp"

namespace numalab::workload {
namespace {

std::vector<std::string> lists(const std::vector<NodeMask>& walk) {
  std::vector<std::string> out;
  for (const auto& m : walk) out.push_back(format_node_list(m));
  return out;
}

TEST(CpusetRebindPlan, TwoNodesWalkShrinksSwapsGrows) {
  EXPECT_EQ(lists(rebind_mems_walk(nodes({0, 1}))), (std::vector<std::string>{"0-1", "1", "0", "0-1", "0"}));
  EXPECT_EQ(lists(rebind_move_walk(nodes({0, 1}), nodes({0}))),
            (std::vector<std::string>{"0", "1", "0-1", "0"}));
}

TEST(CpusetRebindPlan, FourNodesWalkHasDisjointOverlappingGrowingAndShrinkingChanges) {
  EXPECT_EQ(lists(rebind_mems_walk(nodes({0, 1, 2, 3}))),
            (std::vector<std::string>{"0-1", "2-3", "1-3", "0-3", "3", "0,2", "0-1"}));
  EXPECT_EQ(lists(rebind_move_walk(nodes({0, 1, 2, 3}), nodes({0, 1}))),
            (std::vector<std::string>{"0-1", "2-3", "0-3", "0-1"}));
}

TEST(CpusetRebindPlan, NoWalkWithOneNodeAndNoRepeats) {
  EXPECT_TRUE(rebind_mems_walk(nodes({0})).empty());
  for (int k = 2; k <= 8; ++k) {
    NodeMask all;
    for (int i = 0; i < k; ++i) all.set(static_cast<std::size_t>(i) * 2);  // sparse node ids too
    auto walk = rebind_mems_walk(all);
    ASSERT_GE(walk.size(), 3u) << k;
    for (std::size_t i = 1; i < walk.size(); ++i) {
      EXPECT_NE(walk[i], walk[i - 1]) << k;
      EXPECT_TRUE((walk[i] & ~all).none()) << k;
    }
  }
}

TEST(CpusetRebindPlan, NinePoliciesEachValidInTheFirstMems) {
  const NodeMask mems = nodes({2, 3});
  auto cases = rebind_policy_cases(mems);
  ASSERT_EQ(cases.size(), 9u);
  for (const auto& c : cases) {
    EXPECT_TRUE(create_task_policy(c.mode, c.flags, c.user, mems)) << policy_name(c.mode, c.flags);
    if (c.flags == PolicyFlags::relative_nodes)
      EXPECT_EQ(c.user, c.mode == PolicyMode::preferred ? nodes({1}) : nodes({0, 1}));
    else
      EXPECT_EQ(c.user, c.mode == PolicyMode::preferred ? nodes({3}) : mems);
  }
}

TEST(CpusetRebindCheck, ModeWordsAreTheKernels) {
  EXPECT_EQ(policy_mode_word(PolicyMode::bind, PolicyFlags::none), 2);
  EXPECT_EQ(policy_mode_word(PolicyMode::interleave, PolicyFlags::static_nodes), 3 | (1 << 15));
  EXPECT_EQ(policy_mode_word(PolicyMode::preferred, PolicyFlags::relative_nodes), 1 | (1 << 14));
}

// What a kernel without mpol_rebind_task shows, and the message that names it.
TEST(CpusetRebindCheck, PolicyThatWasNotReboundIsNamed) {
  auto before = *create_task_policy(PolicyMode::bind, PolicyFlags::none, nodes({0, 1}), nodes({0, 1}));
  auto after = before;
  rebind_task_policy(after, nodes({1}));
  SeenPolicy stale{2, nodes({0, 1}), "bind:0-1"};
  auto m = policy_mismatches({"v1 mems 0-1 -> 1"}, after, before, stale);
  ASSERT_EQ(m.size(), 1u);  // get_mempolicy and numa_maps say the same thing: one message
  EXPECT_EQ(
      m[0],
      "MPOL_BIND, v1 mems 0-1 -> 1: expected nodes 1, kernel reports 0-1 (get_mempolicy); the policy still "
      "names the nodes it had before the change: it was not rebound");
  SeenPolicy good{2, nodes({1}), "bind:1"};
  EXPECT_TRUE(policy_mismatches({"v1 mems 0-1 -> 1"}, after, before, good).empty());
}

TEST(CpusetRebindCheck, FlaggedPolicyIsCheckedThroughNumaMaps) {
  auto before =
      *create_task_policy(PolicyMode::bind, PolicyFlags::relative_nodes, nodes({0, 1}), nodes({0, 1}));
  auto after = before;
  rebind_task_policy(after, nodes({2, 3}));
  SeenPolicy stale{2 | k_mpol_f_relative_nodes, nodes({0, 1}), "bind=relative:0-1"};
  auto m = policy_mismatches({"v2 mems 0-1 -> 2-3"}, after, before, stale);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0],
            "MPOL_BIND|MPOL_F_RELATIVE_NODES, v2 mems 0-1 -> 2-3: expected nodes 2-3, kernel reports 0-1 "
            "(numa_maps); "
            "the policy still names the nodes it had before the change: it was not rebound");
}

TEST(CpusetRebindCheck, WrongModeAndUnreadableNumaMaps) {
  auto p =
      *create_task_policy(PolicyMode::interleave, PolicyFlags::static_nodes, nodes({0, 1}), nodes({0, 1}));
  auto m = policy_mismatches({"v1 x"}, p, p, {0, NodeMask{}, "default"});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(
      m[0].find("expected get_mempolicy mode MPOL_INTERLEAVE|MPOL_F_STATIC_NODES, kernel reports mode 0"),
      std::string::npos)
      << m[0];
  m = policy_mismatches({"v1 x"}, p, p, {3 | k_mpol_f_static_nodes, nodes({0, 1}), ""});
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(m[0].find("expected numa_maps policy \"interleave=static:0-1\", kernel shows \"\""),
            std::string::npos)
      << m[0];
  EXPECT_EQ(numa_maps_policy_nodes("prefer=relative:3"), nodes({3}));
  EXPECT_FALSE(numa_maps_policy_nodes("default"));
}

// Lines in the format of 6.1's numa_maps, for a task with a flagged policy.
TEST(CpusetRebindCheck, NumaMapsPolicyOfTheMappingHoldingAnAddress) {
  const char* text =
      "00400000 bind=relative:1 file=/init mapped=200 N1=200 kernelpagesize_kB=4\n"
      "7f0000000000 bind=relative:1 anon=64 dirty=64 N1=64 kernelpagesize_kB=4\n"
      "7f0000100000 prefer (many):0-1 anon=1 dirty=1 N0=1 kernelpagesize_kB=4\n"
      "7ffd00000000 default stack anon=3 dirty=3 N0=3 kernelpagesize_kB=4\n";
  EXPECT_EQ(numa_maps_policy_at(text, 0x7f0000000000), "bind=relative:1");
  EXPECT_EQ(numa_maps_policy_at(text, 0x7f0000004000), "bind=relative:1");
  EXPECT_EQ(numa_maps_policy_at(text, 0x7f0000100000), "prefer (many):0-1");
  EXPECT_EQ(numa_maps_policy_at(text, 0x1000), "");
  EXPECT_EQ(numa_maps_policy_at("garbage\n\n", 0x1000), "");
}

}  // namespace
}  // namespace numalab::workload
