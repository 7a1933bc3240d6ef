// The workloads that shared a boot (report/shared_boots.hpp), from the stored runs' order per
// machine, and where the reports say so: the text table's legend and the compare document.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/compare_table.hpp"
#include "report/shared_boots.hpp"
#include "report_test_support.hpp"

namespace numalab::report {
namespace {

result::WorkloadResult workload(std::string name, std::string machine) {
  result::WorkloadResult w;
  w.name = std::move(name);
  w.machine = std::move(machine);
  return w;
}

CompareRun run_of(std::vector<result::WorkloadResult> workloads) {
  result::RunResult r;
  r.workloads = std::move(workloads);
  return {1, 0, 1, std::move(r)};
}

TEST(SharedBoots, EachWorkloadAfterTheFirstOnItsMachine) {
  const std::vector<CompareRun> runs = {
      {1, 0, 1, std::nullopt},  // not run yet: says nothing
      run_of({workload("topology-check", "a"), workload("nfs-server", "b"), workload("cpuset-rebind", "a"),
              workload("numa02", "a"), workload("swap-nfs", "c")}),
      run_of({workload("topology-check", "a"), workload("cpuset-rebind", "a"), workload("numa02", "a")}),
  };
  const auto shared = shared_boots(runs);
  ASSERT_EQ(shared.size(), 2u) << "another run with the same order adds nothing";
  EXPECT_EQ(shared[0], (SharedBoot{"a", "cpuset-rebind", {"topology-check"}}));
  EXPECT_EQ(shared[1], (SharedBoot{"a", "numa02", {"topology-check", "cpuset-rebind"}}));
  EXPECT_EQ(describe(shared[1]),
            "numa02 ran after topology-check and cpuset-rebind in the same boot (machine a)");
  EXPECT_EQ(describe(SharedBoot{"g", "w", {"x", "y", "z"}}),
            "w ran after x, y and z in the same boot (machine g)");
}

TEST(SharedBoots, OneWorkloadPerMachineSharesNothing) {
  EXPECT_TRUE(shared_boots({run_of({workload("numa02", "a"), workload("numa02", "b")})}).empty());
  EXPECT_TRUE(shared_boots({}).empty());
}

TEST(SharedBoots, TheTableAndTheDocumentSaySo) {
  const auto r = test_support::sample_report();  // numa02, numa01/hard-bind, cpuset-rebind on "guest"
  const auto table = format_compare_table(r);
  EXPECT_NE(
      table.find("  numa01/hard-bind ran after numa02 in the same boot (machine guest): it may carry what "
                 "they left.\n"),
      std::string::npos)
      << table;
  EXPECT_NE(table.find("cpuset-rebind ran after numa02 and numa01/hard-bind in the same boot"),
            std::string::npos);
  const auto doc = to_json(r);
  EXPECT_EQ(doc["version"], 3);
  ASSERT_EQ(doc["shared_boots"].size(), 2u);
  EXPECT_EQ(doc["shared_boots"][1]["workload"], "cpuset-rebind");
  EXPECT_EQ(doc["shared_boots"][1]["after"], nlohmann::json::array({"numa02", "numa01/hard-bind"}));
  EXPECT_EQ(doc["shared_boots"][0]["text"],
            "numa01/hard-bind ran after numa02 in the same boot (machine guest)");
}

}  // namespace
}  // namespace numalab::report
