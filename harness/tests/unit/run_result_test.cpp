#include "result/run_result.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "store_test_support.hpp"

namespace numalab::result {
namespace {

using nlohmann::json;

// The "--json FILE" example of shared/design.md, verbatim: the contract scripts rely on.
const json k_design_example = json::parse(R"({"run_id": "...", "lab": "numa3-memless", "verdict": "pass",
 "machines": [{"name": "guest", "accel": "tcg", "boot_seconds": 2.1,
               "kernel": {"name": "debian", "release": "6.1.0-...", "sha256": "..."},
               "topology_seen": {"nodes": [{"id": 0, "cpus": [0, 1], "memory_kb": 786432}],
                                 "distances": [[10, 16, 22], [16, 10, 22], [22, 22, 10]]}}],
 "workloads": [{"name": "topology-check", "machine": "guest", "verdict": "pass",
                "metrics": {"elapsed_s": {"value": 0.01, "unit": "s", "better": "lower"}}}]})");

bool same_kind(const json& a, const json& b) {
  return (a.is_number() && b.is_number()) || a.type() == b.type();
}

// Every member the contract shows is present in got, with the same JSON type, recursively. Metric
// names are data, not contract: under "metrics" only the shape of each value is compared.
void expect_contract(const json& contract, const json& got, const std::string& where) {
  ASSERT_TRUE(same_kind(contract, got))
      << where << ": " << got.type_name() << " instead of " << contract.type_name();
  if (contract.is_array() && !contract.empty()) {
    for (std::size_t i = 0; i < got.size(); ++i)
      expect_contract(contract.front(), got[i], where + "[" + std::to_string(i) + "]");
  } else if (contract.is_object() && where.ends_with(".metrics")) {
    for (const auto& [name, value] : got.items())
      expect_contract(contract.front(), value, where + "." + name);
  } else if (contract.is_object()) {
    for (const auto& [key, value] : contract.items()) {
      ASSERT_TRUE(got.contains(key)) << where << " lacks \"" << key << "\"";
      expect_contract(value, got[key], where + "." + key);
    }
  }
}

RunResult design_example_run() {
  RunResult run;
  run.run_id = "0007";
  run.lab = "numa3-memless";
  run.verdict = Verdict::pass;
  MachineResult guest{.name = "guest",
                      .accel = "tcg",
                      .accel_reason = "",
                      .boot_seconds = 2.1,
                      .boot = "fresh",
                      .startup_key = "",
                      .boot_note = "",
                      .kernel = {"debian", "6.1.0-21-amd64", "ab12", "/boot/vmlinuz"},
                      .topology_seen = store::testing::three_nodes(),
                      .kernel_reports = {}};
  run.machines = {guest};
  run.workloads = {{.name = "topology-check",
                    .machine = "guest",
                    .verdict = Verdict::pass,
                    .detail = "",
                    .elapsed_s = 0.01,
                    .metrics = {{"elapsed_s", {0.01, "s", model::Better::lower}}},
                    .series = {}}};
  return run;
}

TEST(SummaryJson, HasEveryMemberOfTheDesignExample) {
  const json got = to_summary_json(design_example_run());
  ASSERT_EQ(got["machines"].size(), 1u);
  ASSERT_EQ(got["workloads"].size(), 1u);
  expect_contract(k_design_example, got, "summary");
}

TEST(SummaryJson, ARicherRunKeepsTheShape) {
  // Two machines, the second without a topology; workloads with no metrics or several.
  json got = to_summary_json(store::testing::sample_run("0001"));
  // An absent counter's value is null (AnAbsentCounterIsNullNeverZero): outside the number contract.
  got["workloads"][1]["metrics"].erase("numa_pte_updates");
  json contract = k_design_example;
  contract["machines"].push_back(contract["machines"][0]);
  contract["machines"][1]["topology_seen"] = nullptr;
  expect_contract(contract["workloads"], got["workloads"], "summary.workloads");
  ASSERT_EQ(got["machines"].size(), 2u);
  expect_contract(contract["machines"][0], got["machines"][0], "summary.machines[0]");
  expect_contract(contract["machines"][1], got["machines"][1], "summary.machines[1]");
}

TEST(SummaryJson, AnAbsentCounterIsNullNeverZero) {
  const json got = to_summary_json(store::testing::sample_run("0001"));
  const json& m = got["workloads"][1]["metrics"]["numa_pte_updates"];
  EXPECT_TRUE(m["value"].is_null()) << m;
  EXPECT_EQ(m["absent"], true);
  EXPECT_FALSE(got["workloads"][1]["metrics"]["copy_mb_s"].contains("absent"));
  EXPECT_EQ(got["workloads"][1]["series"]["locality_pct"],
            json::parse("[[1.0,12.5],[2.0,50.0],[3.5,97.25]]"));
}

TEST(SummaryJson, CarriesTheValuesOfTheRun) {
  const json got = to_summary_json(design_example_run());
  EXPECT_EQ(got["run_id"], "0007");
  EXPECT_EQ(got["lab"], "numa3-memless");
  EXPECT_EQ(got["verdict"], "pass");
  const json& machine = got["machines"][0];
  EXPECT_EQ(machine["name"], "guest");
  EXPECT_EQ(machine["accel"], "tcg");
  EXPECT_EQ(machine["boot_seconds"], 2.1);
  EXPECT_EQ(machine["kernel"]["release"], "6.1.0-21-amd64");
  EXPECT_EQ(machine["topology_seen"]["nodes"][2]["cpus"], json::array());
  EXPECT_EQ(machine["topology_seen"]["distances"],
            k_design_example["machines"][0]["topology_seen"]["distances"]);
  EXPECT_EQ(got["workloads"][0]["metrics"], k_design_example["workloads"][0]["metrics"]);
}

TEST(SummaryJson, TopologySeenIsNullWhenTheGuestNeverSaidHello) {
  const json got = to_summary_json(store::testing::sample_run("0001"));
  ASSERT_EQ(got["machines"].size(), 2u);
  EXPECT_TRUE(got["machines"][0]["topology_seen"].is_object());
  EXPECT_TRUE(got["machines"][1]["topology_seen"].is_null());
  EXPECT_EQ(got["workloads"][2]["metrics"], json::object());
  EXPECT_EQ(got["workloads"][1]["metrics"]["triad_mb_s"]["better"], "higher");
  EXPECT_EQ(got["workloads"][1]["metrics"]["remote_ratio"]["better"], "none");
  EXPECT_EQ(got["workloads"][3]["verdict"], "hang");
}

TEST(SummaryJson, AnEmptyRunStillHasArrays) {
  const json got = to_summary_json(RunResult{});
  EXPECT_TRUE(got["machines"].is_array());
  EXPECT_TRUE(got["workloads"].is_array());
  EXPECT_EQ(got["verdict"], "error");
}

}  // namespace
}  // namespace numalab::result
