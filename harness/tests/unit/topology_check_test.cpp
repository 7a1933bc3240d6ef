#include "agent/topology_check.hpp"

#include <gtest/gtest.h>

namespace numalab::agent {
namespace {

constexpr std::uint64_t k_mib = 1024;

model::Topology declared() {
  return {{{0, {0, 1}, 768 * k_mib}, {1, {2, 3}, 768 * k_mib}, {2, {}, 256 * k_mib}},
          {{10, 16, 22}, {16, 10, 22}, {22, 22, 10}}};
}

// What a guest typically sees: a little less memory than declared on every node.
model::Topology seen() {
  auto t = declared();
  t.nodes[0].memory_kb -= 8 * k_mib;
  t.nodes[1].memory_kb -= 20 * k_mib;
  t.nodes[2].memory_kb -= 10 * k_mib;
  return t;
}

TEST(TopologyCheckTest, ExactTopologyHasNoDifferences) {
  EXPECT_TRUE(diff_topology(declared(), seen()).empty())
      << describe_differences(diff_topology(declared(), seen()));
  EXPECT_TRUE(diff_topology(declared(), declared()).empty());
}

TEST(TopologyCheckTest, ReportsCpuDifferences) {
  auto s = seen();
  s.nodes[1].cpus = {2};
  s.nodes[2].cpus = {3};
  EXPECT_EQ(diff_topology(declared(), s), (std::vector<std::string>{"node 1: cpus 2-3 expected, 2 seen",
                                                                    "node 2: cpus none expected, 3 seen"}));
}

TEST(TopologyCheckTest, CpuListsCompareAsSets) {
  auto d = declared();
  d.nodes[0].cpus = {1, 0};
  EXPECT_TRUE(diff_topology(d, seen()).empty());
}

TEST(TopologyCheckTest, ReportsDistanceDifferences) {
  auto s = seen();
  s.distances[0][1] = 20;
  s.distances[1][0] = 20;
  EXPECT_EQ(describe_differences(diff_topology(declared(), s)),
            "distance[0][1]: 16 expected, 20 seen; distance[1][0]: 16 expected, 20 seen");
}

TEST(TopologyCheckTest, MissingDistancesDefaultToTenAndTwenty) {
  auto d = declared();
  d.distances.clear();
  auto s = seen();
  s.distances = {{10, 20, 20}, {20, 10, 20}, {20, 20, 10}};
  EXPECT_TRUE(diff_topology(d, s).empty());
}

TEST(TopologyCheckTest, ReportsMalformedMatrices) {
  auto s = seen();
  s.distances.pop_back();
  EXPECT_EQ(diff_topology(declared(), s),
            (std::vector<std::string>{"distances: the seen matrix is not 3x3"}));
  auto d = declared();
  d.distances[1].pop_back();
  EXPECT_EQ(diff_topology(d, seen()),
            (std::vector<std::string>{"distances: the declared matrix is not 3x3"}));
}

TEST(TopologyCheckTest, ReportsMissingAndExtraNodes) {
  auto s = seen();
  s.nodes.pop_back();
  s.distances = {{10, 16}, {16, 10}};
  EXPECT_EQ(diff_topology(declared(), s), (std::vector<std::string>{"node 2: declared, not seen"}));

  auto d = declared();
  d.nodes.pop_back();
  d.distances = {{10, 16}, {16, 10}};
  EXPECT_EQ(diff_topology(d, seen()),
            (std::vector<std::string>{"node 2: seen, not declared (cpus none, MemTotal 246 MiB)"}));
}

TEST(TopologyCheckTest, ToleranceIsPercentPlusAllowance) {
  auto other = mem_total_range(256 * k_mib, false);
  EXPECT_EQ(other.max_kb, 256 * k_mib);
  EXPECT_EQ(other.min_kb, 256 * k_mib - 7864 - 16 * k_mib);  // 3 % of 262144 kB is 7864.32 kB
  auto kernel = mem_total_range(768 * k_mib, true);
  EXPECT_EQ(kernel.min_kb, 768 * k_mib - 23592 - (16 + 64) * k_mib);
  EXPECT_EQ(mem_total_range(10 * k_mib, true).min_kb, 0U);
}

TEST(TopologyCheckTest, ReportsMemoryOutsideTheTolerance) {
  auto s = seen();
  s.nodes[2].memory_kb = 120 * k_mib;
  EXPECT_EQ(describe_differences(diff_topology(declared(), s)),
            "node 2: MemTotal 122880 kB (120 MiB), expected 172360 .. 262144 kB "
            "(256 MiB - 3% - 80 MiB .. 256 MiB)");
  s = seen();
  s.nodes[0].memory_kb = 768 * k_mib + 4;
  EXPECT_EQ(describe_differences(diff_topology(declared(), s)),
            "node 0: MemTotal 786436 kB (768.0 MiB), expected 746456 .. 786432 kB "
            "(768 MiB - 3% - 16 MiB .. 768 MiB)");
}

// Measured on Debian's 6.1 kernel: the highest node lost 51 of 256 MiB, the others under 10.
TEST(TopologyCheckTest, KernelAllowanceGoesToWhicheverNodeFallsShortest) {
  auto d = declared();
  auto s = seen();
  s.nodes[0].memory_kb = 768 * k_mib - 2 * k_mib;
  s.nodes[1].memory_kb = 768 * k_mib - 2 * k_mib;
  s.nodes[2].memory_kb = 256 * k_mib - 51 * k_mib;
  EXPECT_EQ(kernel_node_id(d, s), 2);
  EXPECT_TRUE(diff_topology(d, s).empty()) << describe_differences(diff_topology(d, s));
  // Only one node gets it: two nodes 60 MiB short is a wrong topology, not the kernel.
  s.nodes[1].memory_kb = 768 * k_mib - 75 * k_mib;
  s.nodes[2].memory_kb = 256 * k_mib - 60 * k_mib;
  EXPECT_EQ(kernel_node_id(d, s), 1);
  auto diffs = diff_topology(d, s);
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].rfind("node 2: MemTotal", 0), 0u) << diffs[0];
}

TEST(TopologyCheckTest, NoKernelNodeWithoutMemory) {
  auto d = declared();
  d.nodes[0].memory_kb = d.nodes[1].memory_kb = d.nodes[2].memory_kb = 0;
  EXPECT_EQ(kernel_node_id(d, seen()), -1);
}

TEST(TopologyCheckTest, MemorylessNodeMustHaveNoMemory) {
  auto d = declared();
  d.nodes[1].memory_kb = 0;
  auto s = seen();
  s.nodes[1].memory_kb = 0;
  EXPECT_TRUE(diff_topology(d, s).empty());
  s.nodes[1].memory_kb = 512;
  EXPECT_EQ(describe_differences(diff_topology(d, s)),
            "node 1: MemTotal 512 kB (0.5 MiB), expected 0 (a memory-less node)");
}

TEST(TopologyCheckTest, ReportsDuplicatedNodeIds) {
  auto s = seen();
  s.nodes[2].id = 1;
  auto diff = diff_topology(declared(), s);
  ASSERT_FALSE(diff.empty());
  EXPECT_EQ(diff[0], "node 1: listed twice (seen)");
}

TEST(TopologyCheckTest, LongDiffsAreCut) {
  std::vector<std::string> many(k_max_reported_differences + 5, "x");
  auto text = describe_differences(many);
  EXPECT_TRUE(text.ends_with("; x; ... and 5 more")) << text;
  EXPECT_EQ(describe_differences({}), "");
}

TEST(TopologyCheckTest, FormatsMiB) {
  EXPECT_EQ(format_mib(262144), "256 MiB");
  EXPECT_EQ(format_mib(123392), "120.5 MiB");
  EXPECT_EQ(format_mib(0), "0 MiB");
}

}  // namespace
}  // namespace numalab::agent
