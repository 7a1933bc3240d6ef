#include "workload/common/mempolicy_remap.hpp"

#include <gtest/gtest.h>

#include "workload/common/node_mapping.hpp"
#include "workload/cpuset_rebind/mempolicy_model.hpp"

namespace numalab::workload {
namespace {

NodeMask range(int lo, int hi) {
  NodeMask m;
  for (int b = lo; b <= hi; ++b) m.set(static_cast<std::size_t>(b));
  return m;
}

NodeMask list(std::string_view text) {
  auto m = parse_node_list(text);
  EXPECT_TRUE(m.has_value()) << text;
  return m.value_or(NodeMask{});
}

// lib/bitmap.c, bitmap_remap: old 4-7, new 12-15, src 1,5,7 gives 1,13,15.
TEST(MempolicyRemap, BitmapRemapExample) {
  EXPECT_EQ(remap_nodes(nodes({1, 5, 7}), range(4, 7), range(12, 15)), nodes({1, 13, 15}));
}

// lib/bitmap.c, bitmap_bitremap: with the same map, 5 gives 13; unset positions map to themselves.
TEST(MempolicyRemap, BitmapBitremapExample) {
  EXPECT_EQ(remap_node(5, range(4, 7), range(12, 15)), 13);
  EXPECT_EQ(remap_node(2, range(4, 7), range(12, 15)), 2);
}

TEST(MempolicyRemap, RemapWrapsWhenNewIsLighterAndCopiesWhenEmpty) {
  // n-th set bit of old -> (n % w)-th set bit of new
  EXPECT_EQ(remap_nodes(range(0, 3), range(0, 3), nodes({5, 9})), nodes({5, 9}));
  EXPECT_EQ(remap_node(2, range(0, 3), nodes({5, 9})), 5);
  EXPECT_EQ(remap_nodes(nodes({1, 3}), NodeMask{}, range(4, 7)), nodes({1, 3}));
  EXPECT_EQ(remap_nodes(nodes({1, 3}), range(0, 3), NodeMask{}), nodes({1, 3}));
}

// lib/bitmap.c, bitmap_onto example [1]: relmap 30-39, orig 1,3,5,7,9,11 gives 31,33,35,37,39.
TEST(MempolicyRemap, BitmapOntoExample) {
  EXPECT_EQ(onto_nodes(nodes({1, 3, 5, 7, 9, 11}), range(30, 39)), nodes({31, 33, 35, 37, 39}));
  EXPECT_TRUE(onto_nodes(nodes({10, 11}), range(30, 39)).none());  // beyond the weight: nowhere
  EXPECT_TRUE(onto_nodes(NodeMask{}, range(30, 39)).none());
}

// lib/bitmap.c, example [2]: bitmap_fold then bitmap_onto over the ten-bit relmap
// 40 41 42 43 45 48 53 61 74 95; the whole table of the kernel's comment.
TEST(MempolicyRemap, BitmapFoldOntoTable) {
  const NodeMask relmap = nodes({40, 41, 42, 43, 45, 48, 53, 61, 74, 95});
  struct Row {
    NodeMask orig, tmp, dst;
  };
  const Row rows[] = {
      {nodes({0}), nodes({0}), nodes({40})},
      {nodes({1}), nodes({1}), nodes({41})},
      {nodes({9}), nodes({9}), nodes({95})},
      {nodes({10}), nodes({0}), nodes({40})},
      {nodes({1, 3, 5, 7}), nodes({1, 3, 5, 7}), nodes({41, 43, 48, 61})},
      {nodes({0, 1, 2, 3, 4}), nodes({0, 1, 2, 3, 4}), nodes({40, 41, 42, 43, 45})},
      {nodes({0, 9, 18, 27}), nodes({0, 9, 8, 7}), nodes({40, 61, 74, 95})},
      {nodes({0, 10, 20, 30}), nodes({0}), nodes({40})},
      {nodes({0, 11, 22, 33}), nodes({0, 1, 2, 3}), nodes({40, 41, 42, 43})},
      {nodes({0, 12, 24, 36}), nodes({0, 2, 4, 6}), nodes({40, 42, 45, 53})},
      {nodes({78, 102, 211}), nodes({1, 2, 8}), nodes({41, 42, 74})},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(format_node_list(r.orig));
    NodeMask tmp = fold_nodes(r.orig, relmap.count());
    EXPECT_EQ(tmp, r.tmp);
    EXPECT_EQ(onto_nodes(tmp, relmap), r.dst);
    EXPECT_EQ(relative_nodes(r.orig, relmap), r.dst);
  }
}

// numa_memory_policy.rst, MPOL_F_STATIC_NODES: a task in a cpuset with mems 1-3 interleaves over
// 1-3; the mems change to 3-5: without the flag it interleaves over 3-5, with it over 3 alone.
TEST(MempolicyRemap, StaticNodesDocumentedExample) {
  auto plain = create_task_policy(PolicyMode::interleave, PolicyFlags::none, range(1, 3), range(1, 3));
  auto fixed =
      create_task_policy(PolicyMode::interleave, PolicyFlags::static_nodes, range(1, 3), range(1, 3));
  ASSERT_TRUE(plain && fixed);
  rebind_task_policy(*plain, range(3, 5));
  rebind_task_policy(*fixed, range(3, 5));
  EXPECT_EQ(plain->nodes, range(3, 5));
  EXPECT_EQ(fixed->nodes, nodes({3}));
  // "If no nodes from the user's nodemask are now allowed, the Default behavior is used": 6.1
  // keeps the policy and lets it use every allowed node.
  rebind_task_policy(*fixed, range(4, 5));
  EXPECT_EQ(fixed->nodes, range(4, 5));
  EXPECT_EQ(numa_maps_policy(*fixed), "interleave=static:4-5");
}

// numa_memory_policy.rst, MPOL_F_RELATIVE_NODES: mems 2-5, interleave over 2-5 with the flag; the
// mems change to 3-7: interleave over 3,5-7; then to 0,2-3,5: over 0,2-3,5.
TEST(MempolicyRemap, RelativeNodesDocumentedExample) {
  auto p = create_task_policy(PolicyMode::interleave, PolicyFlags::relative_nodes, range(2, 5), range(2, 5));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->nodes, range(2, 5));
  rebind_task_policy(*p, range(3, 7));
  EXPECT_EQ(format_node_list(p->nodes), "3,5-7");
  rebind_task_policy(*p, list("0,2-3,5"));
  EXPECT_EQ(format_node_list(p->nodes), "0,2-3,5");
  EXPECT_EQ(get_mempolicy_nodes(*p), range(2, 5));  // get_mempolicy: the user's nodes
}

// numa_memory_policy.rst: "nodes 0, 2, and 4 ... the first, third and fifth nodes in the set of
// allowed nodes"; "node 5 is set in the user's nodemask when the set of allowed nodes is only 0-3":
// the remap wraps around.
TEST(MempolicyRemap, RelativeNodesPositionsAndWrap) {
  EXPECT_EQ(relative_nodes(nodes({0, 2, 4}), range(1, 5)), nodes({1, 3, 5}));
  EXPECT_EQ(relative_nodes(nodes({5}), range(0, 3)), nodes({1}));
}

// numa_memory_policy.rst, without either flag: "a nodemask of 1,3,5 may be remapped to 7-9 and then
// to 1-3 if the set of allowed nodes is restored to its original state".
TEST(MempolicyRemap, DefaultRemapIsNotRelativeAcrossRebinds) {
  auto p = create_task_policy(PolicyMode::bind, PolicyFlags::none, nodes({1, 3, 5}), range(1, 5));
  ASSERT_TRUE(p);
  rebind_task_policy(*p, range(7, 9));
  EXPECT_EQ(p->nodes, range(7, 9));
  rebind_task_policy(*p, range(1, 5));
  EXPECT_EQ(p->nodes, range(1, 3));
  EXPECT_EQ(get_mempolicy_nodes(*p), range(1, 3));
  EXPECT_EQ(numa_maps_policy(*p), "bind:1-3");
}

// Linux 6.1's mpol_rebind_preferred records the new mems and nothing else.
TEST(MempolicyRemap, PreferredNodeIsNotRemappedIn61) {
  for (auto flags : {PolicyFlags::none, PolicyFlags::static_nodes, PolicyFlags::relative_nodes}) {
    auto p = create_task_policy(PolicyMode::preferred, flags, nodes({1}), range(0, 1));
    ASSERT_TRUE(p);
    rebind_task_policy(*p, nodes({0}));
    EXPECT_EQ(p->nodes, nodes({1})) << policy_name(PolicyMode::preferred, flags);
    EXPECT_EQ(numa_maps_policy(*p).back(), '1');
    // get_mempolicy: the nodes in effect without a flag; with one, the user's nodes were
    // overwritten by the new mems (w is a union).
    EXPECT_EQ(get_mempolicy_nodes(*p), flags == PolicyFlags::none ? nodes({1}) : nodes({0}));
    EXPECT_TRUE(get_mempolicy_accepts(*p, get_mempolicy_nodes(*p)));
    // The documented answer is accepted too, for a flag; without one, the node in effect only.
    EXPECT_EQ(get_mempolicy_accepts(*p, nodes({1})), true);
    EXPECT_FALSE(get_mempolicy_accepts(*p, nodes({0, 1})));
  }
  auto p = create_task_policy(PolicyMode::preferred, PolicyFlags::relative_nodes, nodes({1}), range(2, 3));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->nodes, nodes({3}));  // at creation the relative node is made concrete
  EXPECT_EQ(numa_maps_policy(*p), "prefer=relative:3");
  EXPECT_EQ(get_mempolicy_nodes(*p), nodes({1}));
}

TEST(MempolicyRemap, CreationRefusesPoliciesWithNoAllowedNode) {
  EXPECT_FALSE(create_task_policy(PolicyMode::bind, PolicyFlags::none, nodes({2}), range(0, 1)));
  EXPECT_FALSE(create_task_policy(PolicyMode::bind, PolicyFlags::static_nodes, nodes({2}), range(0, 1)));
  EXPECT_TRUE(create_task_policy(PolicyMode::bind, PolicyFlags::relative_nodes, nodes({2}), range(0, 1)));
  EXPECT_FALSE(create_task_policy(PolicyMode::preferred, PolicyFlags::none, NodeMask{}, range(0, 1)));
}

// The two-node lab's walk: mems 0-1 -> 1 -> 0 -> 0-1 -> 0.
TEST(MempolicyRemap, TwoNodeWalk) {
  auto bind = create_task_policy(PolicyMode::bind, PolicyFlags::none, range(0, 1), range(0, 1));
  auto rel = create_task_policy(PolicyMode::bind, PolicyFlags::relative_nodes, range(0, 1), range(0, 1));
  auto fixed = create_task_policy(PolicyMode::bind, PolicyFlags::static_nodes, range(0, 1), range(0, 1));
  ASSERT_TRUE(bind && rel && fixed);
  const char* walk[] = {"1", "0", "0-1", "0"};
  const char* want_bind[] = {"1", "0", "0", "0"};
  const char* want_rel[] = {"1", "0", "0-1", "0"};
  for (int i = 0; i < 4; ++i) {
    NodeMask mems = list(walk[i]);
    rebind_task_policy(*bind, mems);
    rebind_task_policy(*rel, mems);
    rebind_task_policy(*fixed, mems);
    EXPECT_EQ(format_node_list(bind->nodes), want_bind[i]) << walk[i];
    EXPECT_EQ(format_node_list(rel->nodes), want_rel[i]) << walk[i];
    EXPECT_EQ(format_node_list(fixed->nodes), want_rel[i]) << walk[i];
  }
}

TEST(MempolicyRemap, NodeListFormatAndParse) {
  EXPECT_EQ(format_node_list(nodes({0, 1, 3, 5, 6, 7})), "0-1,3,5-7");
  EXPECT_EQ(format_node_list(NodeMask{}), "");
  EXPECT_EQ(describe_nodes(NodeMask{}), "none");
  EXPECT_EQ(list("0-1,3\n"), nodes({0, 1, 3}));
  EXPECT_EQ(list(""), NodeMask{});
  EXPECT_EQ(list("1023"), nodes({1023}));
  EXPECT_FALSE(parse_node_list("1024"));
  EXPECT_FALSE(parse_node_list("3-1"));
  EXPECT_FALSE(parse_node_list("0,"));
  EXPECT_FALSE(parse_node_list("a"));
  EXPECT_FALSE(parse_node_list("-1"));
  EXPECT_EQ(node_ids(nodes({4, 0, 2})), (std::vector<int>{0, 2, 4}));
  EXPECT_EQ(policy_name(PolicyMode::bind, PolicyFlags::relative_nodes), "MPOL_BIND|MPOL_F_RELATIVE_NODES");
  EXPECT_EQ(policy_name(PolicyMode::interleave, PolicyFlags::none), "MPOL_INTERLEAVE");
}

// Where memory_migrate puts pages, through node_mapping's model of do_migrate_pages.
TEST(MempolicyRemap, CpusetMigrationKeepsRelativeNodes) {
  auto after = [](int node, const char* from, const char* to) {
    return node_after_migrate_pages(node, node_ids(list(from)), node_ids(list(to)));
  };
  EXPECT_EQ(after(0, "0-1", "1"), 1);
  EXPECT_EQ(after(1, "0-1", "1"), 1);
  EXPECT_EQ(after(1, "1", "0"), 0);
  EXPECT_EQ(after(0, "0", "0-1"), 0);
  EXPECT_EQ(after(0, "0-1", "2-3"), 2);
  EXPECT_EQ(after(1, "0-1", "2-3"), 3);
  EXPECT_EQ(after(2, "2-3", "1-3"), 2);  // weights differ: 2 is in the new set, it stays
  EXPECT_EQ(after(3, "2-3", "1-3"), 3);
}

}  // namespace
}  // namespace numalab::workload
