// Where the NUMA-balancing workloads bind their threads and memory, and how their locality share
// is computed from numa_maps and the threads' CPUs.

#include "workload/numa_balancing/numa_placement.hpp"

#include <gtest/gtest.h>

#include "workload/numa_balancing/locality.hpp"

namespace numalab::workload {
namespace {

model::Topology two_nodes() { return {{{0, {0, 1}, 524288}, {1, {2, 3}, 524288}}, {{10, 20}, {20, 10}}}; }

// Node 1 has CPUs and no memory; node 2 has memory and no CPUs.
model::Topology odd_nodes() {
  return {{{0, {0, 1}, 524288}, {1, {2}, 0}, {2, {}, 524288}, {3, {3}, 524288}},
          {{10, 16, 22, 30}, {16, 10, 22, 28}, {22, 22, 10, 22}, {30, 28, 22, 10}}};
}

WorkloadShape numa01(std::size_t threads_per_process) { return {2, threads_per_process, true, false}; }
WorkloadShape numa02(std::size_t threads) { return {1, threads, false, true}; }

TEST(NumaPlacementTest, HardBindPutsEachProcessOnItsOwnNode) {
  auto p = plan_placement(two_nodes(), BindVariant::hard_bind, numa01(2));
  ASSERT_TRUE(p) << p.error();
  ASSERT_EQ(p->threads.size(), 4u);
  for (const auto& t : p->threads) {
    int node = static_cast<int>(t.process);
    EXPECT_EQ(t.placement.cpu_node, node);
    EXPECT_EQ(t.placement.memory_node, node);
    EXPECT_EQ(t.slice, 0u) << "numa01 threads share their process's buffer";
  }
  EXPECT_EQ(p->threads[2].placement.cpus, (std::vector<int>{2, 3}));
  EXPECT_TRUE(p->first_touch_cpus.empty());
}

TEST(NumaPlacementTest, InverseBindPutsMemoryOnAnotherNode) {
  auto p = plan_placement(two_nodes(), BindVariant::inverse_bind, numa02(4));
  ASSERT_TRUE(p) << p.error();
  ASSERT_EQ(p->threads.size(), 4u);
  for (std::size_t t = 0; t < 4; ++t) {
    EXPECT_EQ(p->threads[t].slice, t);
    EXPECT_EQ(p->threads[t].placement.cpu_node, t < 2 ? 0 : 1);
    EXPECT_EQ(p->threads[t].placement.memory_node, t < 2 ? 1 : 0);
  }
}

TEST(NumaPlacementTest, SmtSpreadsHalfTheThreadsOverAllNodes) {
  auto p = plan_placement(two_nodes(), BindVariant::hard_bind, numa02(2));
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->threads[0].placement.cpu_node, 0);
  EXPECT_EQ(p->threads[1].placement.cpu_node, 1);
}

TEST(NumaPlacementTest, UnboundTouchesFirstFromTheFirstNodeWithCpusAndMemory) {
  auto p = plan_placement(two_nodes(), BindVariant::none, numa01(2));
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->first_touch_node, 0);
  EXPECT_EQ(p->first_touch_cpus, (std::vector<int>{0, 1}));
  for (const auto& t : p->threads) {
    EXPECT_TRUE(t.placement.cpus.empty());
    EXPECT_EQ(t.placement.memory_node, -1);
  }
  // The threads start spread, each process's alternating between the nodes.
  EXPECT_EQ(p->threads[0].start_cpus, (std::vector<int>{0, 1}));
  EXPECT_EQ(p->threads[1].start_cpus, (std::vector<int>{2, 3}));
  EXPECT_EQ(p->threads[2].start_cpus, (std::vector<int>{0, 1}));
  EXPECT_EQ(p->threads[3].start_cpus, (std::vector<int>{2, 3}));
  auto bound = plan_placement(two_nodes(), BindVariant::hard_bind, numa01(2));
  EXPECT_TRUE(bound->threads[0].start_cpus.empty()) << "bound threads start where they are bound";
  // A first node without CPUs is passed over.
  model::Topology t{{{0, {}, 524288}, {1, {0, 1}, 524288}}, {{10, 20}, {20, 10}}};
  EXPECT_EQ(plan_placement(t, BindVariant::none, numa02(2))->first_touch_node, 1);
}

TEST(NumaPlacementTest, CpulessAndMemorylessNodesDoNotBreakIt) {
  auto hard = plan_placement(odd_nodes(), BindVariant::hard_bind, numa02(4));
  ASSERT_TRUE(hard) << hard.error();
  for (const auto& t : hard->threads) {
    EXPECT_NE(t.placement.cpu_node, 1) << "node 1 has no memory to bind to";
    EXPECT_NE(t.placement.cpu_node, 2) << "node 2 has no CPUs";
    EXPECT_EQ(t.placement.memory_node, t.placement.cpu_node);
  }
  auto inverse = plan_placement(odd_nodes(), BindVariant::inverse_bind, numa02(4));
  ASSERT_TRUE(inverse) << inverse.error();
  // CPUs 0,1 (node 0), 2 (node 1, memory-less: its local memory is node 0), 3 (node 3).
  EXPECT_EQ(inverse->threads[0].placement.memory_node, 3) << "farthest from node 0";
  EXPECT_EQ(inverse->threads[2].placement.cpu_node, 1);
  EXPECT_EQ(inverse->threads[2].placement.memory_node, 3) << "farthest from node 0, node 1's local memory";
  EXPECT_EQ(inverse->threads[3].placement.memory_node, 0) << "farthest from node 3";
}

TEST(NumaPlacementTest, ImpossibleVariantsAreErrors) {
  model::Topology one{{{0, {0, 1}, 524288}}, {{10}}};
  EXPECT_FALSE(plan_placement(one, BindVariant::inverse_bind, numa02(2)).has_value());
  EXPECT_TRUE(plan_placement(one, BindVariant::hard_bind, numa02(2)).has_value());
  EXPECT_TRUE(plan_placement(one, BindVariant::none, numa02(2)).has_value());
  model::Topology apart{{{0, {0, 1}, 0}, {1, {}, 524288}}, {{10, 20}, {20, 10}}};
  EXPECT_FALSE(plan_placement(apart, BindVariant::hard_bind, numa02(2)).has_value());
  EXPECT_FALSE(plan_placement(two_nodes(), BindVariant::hard_bind, numa02(0)).has_value());
}

TEST(NumaPlacementTest, LocalMemoryNodeOfAMemorylessNodeIsTheNearest) {
  EXPECT_EQ(local_memory_node(odd_nodes(), 0), 0);
  EXPECT_EQ(local_memory_node(odd_nodes(), 1), 0);
  EXPECT_EQ(local_memory_node(odd_nodes(), 7), -1);
  EXPECT_EQ(memory_node_by_cpu(odd_nodes()), (std::vector<int>{0, 0, 0, 3}));
  EXPECT_EQ(bind_variant_from("hard-bind"), BindVariant::hard_bind);
  EXPECT_EQ(bind_variant_from("inverse"), std::nullopt);
}

NumaMaps maps(const std::string& text) { return parse_numa_maps(text); }

TEST(LocalityTest, SharedBufferIsWeightedByWhereTheThreadsRun) {
  // One 8 MiB slice, half on each node; threads on CPUs 0, 1 (node 0) and 2 (node 1).
  auto m = maps("100000 default anon=2048 N0=1024 N1=1024 kernelpagesize_kB=4\n");
  std::vector<AddressRange> slices = {{0x100000, 0x900000}};
  auto by_cpu = memory_node_by_cpu(two_nodes());
  auto c = process_locality(m, slices, {{0, 0}, {0, 1}, {0, 2}}, by_cpu);
  EXPECT_EQ(c.counted_kb, 3u * 8192);
  EXPECT_EQ(c.local_kb, 3u * 4096);
  EXPECT_DOUBLE_EQ(c.percent().value(), 50.0);
}

TEST(LocalityTest, PrivateSlicesCountOnlyTheirThread) {
  auto m = maps(
      "100000 bind:0 anon=512 N0=512 kernelpagesize_kB=4\n"
      "500000 default anon=0 kernelpagesize_kB=4\n"  // the guard gap between slices
      "700000 bind:1 anon=512 N1=512 kernelpagesize_kB=4\n"
      "7f0000000000 default heap anon=100 N0=100 kernelpagesize_kB=4\n");  // not a slice
  std::vector<AddressRange> slices = {{0x100000, 0x300000}, {0x700000, 0x900000}};
  auto by_cpu = memory_node_by_cpu(two_nodes());
  EXPECT_DOUBLE_EQ(process_locality(m, slices, {{0, 1}, {1, 3}}, by_cpu).percent().value(), 100.0);
  EXPECT_DOUBLE_EQ(process_locality(m, slices, {{0, 2}, {1, 0}}, by_cpu).percent().value(), 0.0);
  auto half = process_locality(m, slices, {{0, 0}, {1, 0}}, by_cpu);
  EXPECT_DOUBLE_EQ(half.percent().value(), 50.0);
  // A thread whose CPU is unknown (it is gone) is not counted.
  EXPECT_DOUBLE_EQ(process_locality(m, slices, {{0, 0}, {1, -1}}, by_cpu).percent().value(), 100.0);
}

TEST(LocalityTest, HugePagesAreWeightedBySize) {
  auto m = maps(
      "100000 default huge anon=1 N1=1 kernelpagesize_kB=2048\n"
      "300000 default anon=512 N0=512 kernelpagesize_kB=4\n");
  std::vector<AddressRange> slices = {{0x100000, 0x500000}};
  auto c = process_locality(m, slices, {{0, 0}}, memory_node_by_cpu(two_nodes()));
  EXPECT_EQ(c.counted_kb, 4096u);
  EXPECT_DOUBLE_EQ(c.percent().value(), 50.0);
}

TEST(LocalityTest, NothingResidentHasNoShare) {
  auto c = process_locality(maps(""), {{0x100000, 0x200000}}, {{0, 0}}, memory_node_by_cpu(two_nodes()));
  EXPECT_EQ(c.percent(), std::nullopt);
  LocalityCount a{1, 4}, b{3, 4};
  a += b;
  EXPECT_DOUBLE_EQ(a.percent().value(), 50.0);
}

}  // namespace
}  // namespace numalab::workload
