#include "workload/cpuset_churn/cpuset_churn_plan.hpp"

#include <gtest/gtest.h>

#include "workload/common/proc_cgroups.hpp"

namespace numalab::workload {
namespace {

TEST(CpusetChurnPlan, EverySubsetOfFewNodes) {
  auto mems = churn_mems(nodes({0, 1}));
  ASSERT_EQ(mems.size(), 3u);
  EXPECT_EQ(mems[0], nodes({0}));
  EXPECT_EQ(mems[1], nodes({1}));
  EXPECT_EQ(mems[2], nodes({0, 1}));
  EXPECT_EQ(churn_mems(nodes({0, 2, 3, 5})).size(), 15u);
  EXPECT_EQ(churn_mems(nodes({4})).size(), 1u);
}

TEST(CpusetChurnPlan, EachNodeAndAllOfManyNodes) {
  NodeMask eight;
  for (int i = 0; i < 8; ++i) eight.set(static_cast<std::size_t>(i));
  auto mems = churn_mems(eight);
  ASSERT_EQ(mems.size(), 9u);
  EXPECT_EQ(mems.front(), nodes({0}));
  EXPECT_EQ(mems.back(), eight);
}

TEST(CpusetChurnPlan, HogIsAShareInWholeChunks) {
  EXPECT_EQ(hog_bytes(1024 * 1024, 0.5), 512ull << 20);
  EXPECT_EQ(hog_bytes(3 * 1024, 1.0), 2ull << 20);  // 3 MiB: one 2 MiB chunk
  EXPECT_EQ(hog_bytes(1024 * 1024, 0), 0u);
  EXPECT_EQ(hog_bytes(1024 * 1024, 7), 1024ull << 20);  // capped at all of it
}

TEST(CpusetChurnPlan, StallTimeoutFromTheLabFile) {
  using std::chrono::milliseconds;
  EXPECT_EQ(stall_timeout_param(nlohmann::json::object()), milliseconds(k_default_stall_timeout));
  EXPECT_EQ(stall_timeout_param({{"stall_timeout", "90s"}}), milliseconds(90'000));
  EXPECT_EQ(stall_timeout_param({{"stall_timeout", 45u}}), milliseconds(45'000));
  EXPECT_EQ(stall_timeout_param({{"stall_timeout", "2s"}}), milliseconds(2'000));
  auto short_one = stall_timeout_param({{"stall_timeout", "1500ms"}});
  ASSERT_FALSE(short_one);
  EXPECT_NE(short_one.error().find("at least 2 s"), std::string::npos) << short_one.error();
  EXPECT_FALSE(stall_timeout_param({{"stall_timeout", "soon"}}));
}

TEST(CpusetChurnPlan, AStallIsSuspectedAtHalfTheTimeoutAndAHangPastIt) {
  using std::chrono::milliseconds;
  const milliseconds timeout(60'000);
  EXPECT_EQ(churn_stall(milliseconds(0), timeout), ChurnStall::none);
  EXPECT_EQ(churn_stall(milliseconds(13'000), timeout), ChurnStall::none);  // a starved vCPU's worst seen
  EXPECT_EQ(churn_stall(milliseconds(30'000), timeout), ChurnStall::none);
  EXPECT_EQ(churn_stall(milliseconds(30'001), timeout), ChurnStall::suspected);
  EXPECT_EQ(churn_stall(milliseconds(60'000), timeout), ChurnStall::suspected);
  EXPECT_EQ(churn_stall(milliseconds(60'001), timeout), ChurnStall::hang);
}

// /proc/cgroups in 6.1's format, with a v1 cpuset hierarchy holding one cpuset besides its root.
TEST(CpusetChurnPlan, ProcCgroupsLines) {
  const char* text =
      "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
      "cpuset\t1\t2\t1\n"
      "cpu\t0\t1\t1\n"
      "memory\t0\t1\t1\n";
  EXPECT_EQ(proc_cgroups_line(text, "cpuset"), (ControllerLine{1, 2, true}));
  EXPECT_EQ(proc_cgroups_line(text, "memory"), (ControllerLine{0, 1, true}));
  EXPECT_FALSE(proc_cgroups_line(text, "rdma"));
  EXPECT_FALSE(proc_cgroups_line("cpuset 1 x 1\n", "cpuset"));
}

}  // namespace
}  // namespace numalab::workload
