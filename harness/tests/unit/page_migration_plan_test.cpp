#include "workload/page_migration/page_migration_plan.hpp"

#include <gtest/gtest.h>

namespace numalab::workload {
namespace {

TEST(MigrationPlanTest, TwoNodesDisjointFewerNewAndTheSameSet) {
  auto steps = migration_steps({0, 1});
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(describe(steps[0]), "disjoint {0} -> {1}");
  EXPECT_EQ(describe(steps[1]), "fewer new nodes {0,1} -> {1}");
  EXPECT_EQ(describe(steps[2]), "same set {0,1} -> {0,1}");
}

TEST(MigrationPlanTest, FourNodesAddDisjointPairsAndAChain) {
  auto steps = migration_steps({0, 1, 2, 3});
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(describe(steps[1]), "disjoint {0,1} -> {2,3}");
  EXPECT_EQ(describe(steps[2]), "overlapping {0,1} -> {1,2}");
  EXPECT_EQ(describe(steps[3]), "fewer new nodes {0,1,2,3} -> {1,2}");
}

TEST(MigrationPlanTest, UsesMemoryNodeIdsNotPositions) {
  auto steps = migration_steps({0, 2, 3});
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(describe(steps[1]), "overlapping {0,2} -> {2,3}");
  EXPECT_EQ(describe(steps[2]), "fewer new nodes {0,2,3} -> {2,3}");
  EXPECT_TRUE(migration_steps({0}).empty());
  EXPECT_TRUE(migration_steps({}).empty());
}

TEST(MigrationPlanTest, ThreadsTakeMemoryNodesInTurnAndTheirCpus) {
  model::Topology t{{{0, {0, 1}, 1}, {1, {2, 3}, 1}, {2, {}, 1}, {3, {4}, 0}}, {}};
  auto threads = first_touch_threads(t, {0, 1, 2}, 0);
  ASSERT_EQ(threads.size(), 3u);
  EXPECT_EQ(threads[0].node, 0);
  EXPECT_EQ(threads[0].cpu, 0);
  EXPECT_EQ(threads[1].cpu, 2);
  EXPECT_EQ(threads[2].node, 2);
  EXPECT_EQ(threads[2].cpu, -1) << "a CPU-less node's slice is placed with mbind";
  threads = first_touch_threads(t, {0, 1, 2}, 5);
  ASSERT_EQ(threads.size(), 5u);
  EXPECT_EQ(threads[3].node, 0);
  EXPECT_EQ(threads[3].cpu, 1) << "the second thread on node 0 takes its second CPU";
  EXPECT_EQ(threads[4].cpu, 3);
}

TEST(MigrationPlanTest, MovePagesAlternatesOverMemoryNodes) {
  EXPECT_EQ(move_pages_target(0, {0, 2}), 0);
  EXPECT_EQ(move_pages_target(1, {0, 2}), 2);
  EXPECT_EQ(move_pages_target(2, {0, 2}), 0);
  EXPECT_EQ(move_pages_target(0, {}), -1);
}

}  // namespace
}  // namespace numalab::workload
