// The cpuset workloads in real guests, checked from the outside: cpuset-rebind passes on both cgroup
// interfaces and cpuset-churn keeps making progress under memory pressure (Debian's kernel, the
// default 2-node topology); and the regression of lab/cpuset-regression.toml: cpuset-rebind passes
// on the baseline lab kernel and fails, naming the policy that was not rebound, on a kernel built
// from patches/cpuset-no-mpol-rebind (built here when not cached: several minutes the first time).

#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

const nlohmann::json& workload(const Invocation& inv, const std::string& name) {
  static const nlohmann::json none;
  for (const auto& w : inv.summary["workloads"])
    if (w["name"] == name) return w;
  ADD_FAILURE() << "no workload " << name << " in the summary";
  return none;
}

double metric(const nlohmann::json& w, const std::string& name) {
  EXPECT_TRUE(w["metrics"].contains(name)) << name << " missing: " << w["metrics"];
  return w["metrics"].contains(name) ? w["metrics"][name]["value"].get<double>() : -1;
}

class CpusetWorkloads : public NumalabFixture {
 protected:
  void expect_rebind_passed(const Invocation& inv) {
    const auto& w = workload(inv, "cpuset-rebind");
    EXPECT_EQ(w["verdict"], "pass") << w["detail"];
    EXPECT_GE(metric(w, "checks"), 100);  // 9 tasks, 9 changes or more per cgroup interface
    EXPECT_EQ(metric(w, "checks_failed"), 0);
    EXPECT_GE(metric(w, "pages_checked"), 9 * 64);
    EXPECT_GT(metric(w, "migration_s"), 0);
  }

  // Builds one kernel of lab/cpuset-regression.toml unless it is cached. A cold build of a lab
  // kernel takes 10 minutes on 2 idle cores and much longer on busy ones; CTest gives each test
  // 2400 s.
  void build_regression_kernel(const std::string& name) {
    if (!std::filesystem::exists("/usr/src/linux-source-6.1.tar.xz"))
      GTEST_SKIP() << "linux-source-6.1 is not installed (make deps installs it)";
    auto build = start({"build", source("lab/cpuset-regression.toml").string(), "--kernel", name});
    auto built = finish(build, std::chrono::seconds(2300));
    ASSERT_EQ(built.exit_code, 0) << built.err;
  }
};

TEST_F(CpusetWorkloads, RebindAndChurnPassOnDebiansKernel) {
  auto lab = write_lab("cpusets.toml", debian_guest_lab("cpusets-itest", k_two_nodes, R"(
[[workload]]
name = "cpuset-rebind"
cgroup = "both"
[[workload]]
name = "cpuset-churn"
duration = "4s"
pressure = 0.9
)"));
  auto inv = run(lab);
  ASSERT_EQ(inv.exit_code, 0) << inv.out << inv.err;
  expect_rebind_passed(inv);
  const auto& churn = workload(inv, "cpuset-churn");
  EXPECT_EQ(churn["verdict"], "pass") << churn["detail"];
  EXPECT_GE(metric(churn, "iterations"), 2);  // v1 and v2 each ran at least one
  EXPECT_GT(metric(churn, "iterations_per_s"), 0);
  EXPECT_LE(metric(churn, "iteration_min_ms"), metric(churn, "iteration_max_ms"));
  EXPECT_GT(metric(churn, "hog_mib"), 300);  // 0.9 of a 1 GiB guest's available memory
  // The pauses: never longer than the 60 s that would have been a hang, and the hog kept allocating.
  EXPECT_GT(metric(churn, "max_iteration_gap_s"), 0);
  EXPECT_LT(metric(churn, "max_iteration_gap_s"), 60);
  EXPECT_GE(metric(churn, "max_iteration_gap_s") * 1000, metric(churn, "iteration_max_ms") - 1);
  EXPECT_LT(metric(churn, "hog_max_gap_s"), 60);
  EXPECT_GE(metric(churn, "watch_late_max_s"), 0);
}

TEST_F(CpusetWorkloads, RebindPassesOnTheBaselineLabKernel) {
  build_regression_kernel("baseline");
  if (IsSkipped() || HasFatalFailure()) return;
  auto inv = run(source("lab/cpuset-regression.toml"), {"--kernel", "baseline"});
  ASSERT_EQ(inv.exit_code, 0) << inv.out << inv.err;
  EXPECT_EQ(inv.summary["machines"][0]["kernel"]["name"], "baseline");
  expect_rebind_passed(inv);
}

// The first failure is the first check after the first change: the bind task of cgroup v1.
TEST_F(CpusetWorkloads, RebindFailsOnAKernelThatDoesNotRebindTaskPolicies) {
  build_regression_kernel("norebind");
  if (IsSkipped() || HasFatalFailure()) return;
  auto inv = run(source("lab/cpuset-regression.toml"), {"--kernel", "norebind"});
  EXPECT_EQ(inv.exit_code, 1) << inv.out << inv.err;
  EXPECT_EQ(inv.summary["machines"][0]["kernel"]["name"], "norebind");
  const auto& w = workload(inv, "cpuset-rebind");
  EXPECT_EQ(w["verdict"], "fail");
  const std::string detail = w["detail"];
  EXPECT_TRUE(
      detail.starts_with("MPOL_BIND, v1 mems 0-1 -> 1: expected nodes 1, kernel reports 0-1 (get_mempolicy); "
                         "the policy still names the nodes it had before the change: it was not rebound"))
      << detail;
  EXPECT_GT(metric(w, "checks_failed"), 0);
}

}  // namespace
}  // namespace numalab::itest
