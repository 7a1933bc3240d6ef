#include "workload/common/node_mapping.hpp"

#include <gtest/gtest.h>

namespace numalab::workload {
namespace {

using Moves = std::vector<NodeMove>;

// Where pages on each node of `nodes` end after migrate_pages(from, to).
std::vector<int> after(const std::vector<int>& nodes, const NodeSet& from, const NodeSet& to) {
  std::vector<int> out;
  for (int n : nodes) out.push_back(node_after_migrate_pages(n, from, to));
  return out;
}

TEST(NodeMappingTest, NodeSetsAreSortedMasks) {
  EXPECT_EQ(make_node_set({2, 0, 2, 1}), (NodeSet{0, 1, 2}));
  EXPECT_EQ(format_node_set({0, 3}), "{0,3}");
  EXPECT_EQ(format_node_set({}), "{}");
}

TEST(NodeMappingTest, RelativeNodeIsThePositionInTheSet) {
  EXPECT_EQ(relative_node(2, {2, 3, 4}, {3, 4, 5}), 3);
  EXPECT_EQ(relative_node(4, {2, 3, 4}, {3, 4, 5}), 5);
  EXPECT_EQ(relative_node(6, {0, 1, 2, 3, 4, 5, 6, 7}, {3, 4, 5}), 3);  // position 6 mod 3
  EXPECT_EQ(relative_node(7, {0, 1}, {2, 3}), 7) << "a node outside old maps to itself";
  EXPECT_EQ(relative_node(0, {0, 1}, {}), 0) << "an empty new set maps nothing";
}

TEST(NodeMappingTest, DisjointSetsMoveEveryNodeToItsRelativeNode) {
  EXPECT_EQ(migrate_pages_moves({0}, {1}), (Moves{{0, 1}}));
  EXPECT_EQ(migrate_pages_moves({0, 1}, {2, 3}), (Moves{{0, 2}, {1, 3}}));
  EXPECT_EQ(after({0, 1, 2, 3}, {0, 1}, {2, 3}), (std::vector<int>{2, 3, 2, 3}));
}

// {0,1} -> {1,2}: 1 -> 2 first, so node 1 is empty when 0 -> 1 fills it and no page moves twice.
TEST(NodeMappingTest, OverlappingSetsMoveTheChainFromItsEnd) {
  EXPECT_EQ(migrate_pages_moves({0, 1}, {1, 2}), (Moves{{1, 2}, {0, 1}}));
  EXPECT_EQ(after({0, 1, 2, 3}, {0, 1}, {1, 2}), (std::vector<int>{1, 2, 2, 3}));
  // The kernel's own example: [2,3,4] -> [3,4,5] moves everything.
  EXPECT_EQ(migrate_pages_moves({2, 3, 4}, {3, 4, 5}), (Moves{{4, 5}, {3, 4}, {2, 3}}));
  EXPECT_EQ(after({2, 3, 4}, {2, 3, 4}, {3, 4, 5}), (std::vector<int>{3, 4, 5}));
}

// Masks have no order: {0,1} -> {1,0} is {0,1} -> {0,1}, every node its own relative node.
TEST(NodeMappingTest, SwapIsNotExpressibleAndMovesNothing) {
  EXPECT_TRUE(migrate_pages_moves(make_node_set({0, 1}), make_node_set({1, 0})).empty());
  EXPECT_EQ(after({0, 1}, {0, 1}, make_node_set({1, 0})), (std::vector<int>{0, 1}));
  EXPECT_TRUE(migrate_pages_moves({1}, {1}).empty());
}

// |old| != |new|: nodes of old that are in new keep their pages.
TEST(NodeMappingTest, MoreOldThanNewNodesLeavesSharedNodesAlone) {
  EXPECT_EQ(after({0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1}), (std::vector<int>{0, 1, 0, 1}));
  EXPECT_EQ(after({0, 1}, {0, 1}, {1}), (std::vector<int>{1, 1}));
  EXPECT_EQ(after({0, 1, 2}, {0, 1, 2}, {1, 2}), (std::vector<int>{1, 1, 2}))
      << "relative_node would send 1 -> 2 and 2 -> 1; the kernel leaves both";
  EXPECT_EQ(after({0, 1, 2, 3}, {0, 1, 2, 3}, {1, 2}), (std::vector<int>{1, 1, 2, 2}));
  EXPECT_EQ(relative_node(1, {0, 1, 2, 3}, {1, 2}), 2) << "what a plain remap of every page would do";
  // The kernel's own example: [0-7] -> [3,4,5] moves only 0,1,2,6,7. Every destination stays among
  // the sources left (3, 4 and 5 are skipped, never cleared), so each scan takes the last mover.
  EXPECT_EQ(migrate_pages_moves({0, 1, 2, 3, 4, 5, 6, 7}, {3, 4, 5}),
            (Moves{{7, 4}, {6, 3}, {2, 5}, {1, 4}, {0, 3}}));
}

TEST(NodeMappingTest, MoreNewThanOldNodesUsesTheFirstNewNodes) {
  EXPECT_EQ(after({0}, {0}, {1, 2}), (std::vector<int>{1}));
  EXPECT_EQ(after({0, 1}, {0, 1}, {1, 2, 3}), (std::vector<int>{1, 1}))
      << "1 is in new, so it stays; 0 is position 0 -> 1";
}

TEST(NodeMappingTest, PagesOutsideOldNeverMove) {
  EXPECT_EQ(node_after_migrate_pages(3, {0, 1}, {1, 2}), 3);
  EXPECT_EQ(node_after_migrate_pages(2, {0}, {1}), 2);
}

}  // namespace
}  // namespace numalab::workload
