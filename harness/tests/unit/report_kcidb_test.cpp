// The KCIDB file of a comparison as a KCIDB submitter would check it: against
// harness/report/kcidb.schema.json (KCIDB v4.5's names and types, exactly the fields numalab
// emits) with python3-jsonschema, and read for what a dashboard would show: which kernel's which
// workload failed, the numbers, the comparison, the topology and the patch series.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "report/kcidb_json.hpp"
#include "report_test_support.hpp"

namespace numalab::report {
namespace {

using namespace test_support;
using nlohmann::json;

class KcidbJson : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = util::ScopedTempDir::create("numalab-kcidb-");
    ASSERT_TRUE(d) << d.error().message;
    dir_.emplace(std::move(*d));
    report_ = sample_report();
    doc_ = kcidb_json(report_);
  }

  // Written as `numalab compare --kcidb` would; dump() throws on invalid UTF-8, so this also
  // proves that none got through.
  std::filesystem::path write(const json& doc, const std::string& name) {
    auto path = dir_->path() / name;
    write_file(path, doc.dump(2));
    return path;
  }

  const json& test(const std::string& id) const {
    for (const auto& t : doc_["tests"])
      if (t["id"] == id) return t;
    static const json k_none;
    ADD_FAILURE() << "no test " << id;
    return k_none;
  }

  std::optional<util::ScopedTempDir> dir_;
  CompareReport report_;
  json doc_;
};

TEST_F(KcidbJson, ValidatesAgainstTheSchemaOfWhatItEmits) {
  const auto check = json_schema_check(write(doc_, "kcidb.json"));
  EXPECT_EQ(check.exit_code, 0) << check.output;
}

// The check fails, and because the document is invalid (not because the tool could not run).
void expect_invalid(const ToolOutcome& check, const std::string& why) {
  EXPECT_NE(check.exit_code, 0) << why;
  EXPECT_NE(check.output.find("jsonschema.exceptions.ValidationError"), std::string::npos) << why << "\n"
                                                                                           << check.output;
}

TEST_F(KcidbJson, TheSchemaCheckRejectsWhatIsWrong) {
  auto wrong_type = doc_;
  wrong_type["tests"][1]["duration"] = "2.5 s";
  expect_invalid(json_schema_check(write(wrong_type, "wrong-type.json")), "a duration is a number");

  auto unknown_field = doc_;
  unknown_field["builds"][0]["kernel"] = "baseline";
  expect_invalid(json_schema_check(write(unknown_field, "unknown-field.json")),
                 "KCIDB has no build field \"kernel\"");

  auto bad_status = doc_;
  bad_status["tests"][0]["status"] = "HANG";
  expect_invalid(json_schema_check(write(bad_status, "bad-status.json")), "not a KCIDB status");

  auto number_on_skip = doc_;
  for (auto& t : number_on_skip["tests"])
    if (t["status"] == "SKIP") t["number"] = {{"value", 0}};
  expect_invalid(json_schema_check(write(number_on_skip, "number-on-skip.json")),
                 "an absent counter has no number, never 0");
}

TEST_F(KcidbJson, OneCheckoutAndBuildPerKernelWithTheSeries) {
  EXPECT_EQ(doc_["version"], (json{{"major", 4}, {"minor", 5}}));
  ASSERT_EQ(doc_["checkouts"].size(), 3u);
  ASSERT_EQ(doc_["builds"].size(), 3u);
  const std::vector<std::string> ids{"numalab:c0007:baseline", "numalab:c0007:numab-v3",
                                     "numalab:c0007:baseline#2"};
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(doc_["checkouts"][k]["id"], ids[k]);
    EXPECT_EQ(doc_["builds"][k]["id"], ids[k]);
    EXPECT_EQ(doc_["builds"][k]["checkout_id"], ids[k]);
    EXPECT_EQ(doc_["builds"][k]["architecture"], "x86_64");
    EXPECT_EQ(doc_["builds"][k]["origin"], "numalab");
  }
  const auto& patched = doc_["checkouts"][1];
  EXPECT_EQ(patched["patchset_hash"], k_series_hash);
  EXPECT_EQ(patched["git_commit_hash"], k_git_commit);
  EXPECT_FALSE(patched.contains("tree_name"));
  EXPECT_EQ(patched["misc"]["series"], "patches/numab-v3");
  EXPECT_EQ(patched["misc"]["cache_key"], "0123456789abcdef01234567");
  EXPECT_EQ(patched["start_time"], "2026-11-22T14:12:00Z");
  const auto& debian = doc_["checkouts"][0];
  EXPECT_EQ(debian["patchset_hash"], "") << "built with no patches";
  EXPECT_EQ(debian["tree_name"], "debian");
  EXPECT_FALSE(debian.contains("git_commit_hash"));
  EXPECT_EQ(doc_["builds"][1]["config_name"], "numa-lab+debug-vm");
  EXPECT_EQ(doc_["builds"][1]["misc"]["release"], "6.1.0-numalab+");
}

TEST_F(KcidbJson, OneTestPerRunWorkloadAndMetricWithUniqueIds) {
  std::size_t expected = 0;
  for (const auto& run : report_.runs) {
    expected += 1 + run.result->workloads.size();
    for (const auto& w : run.result->workloads) expected += w.metrics.size();
  }
  EXPECT_EQ(doc_["tests"].size(), expected);
  std::set<std::string> ids, builds;
  for (const auto& b : doc_["builds"]) builds.insert(b["id"].get<std::string>());
  for (const auto& t : doc_["tests"]) {
    EXPECT_TRUE(ids.insert(t["id"].get<std::string>()).second) << "duplicate id " << t["id"];
    EXPECT_TRUE(builds.contains(t["build_id"].get<std::string>())) << t["id"];
  }
  EXPECT_EQ(test("numalab:c0007:numab-v3:2")["path"], "numalab");
  EXPECT_EQ(test("numalab:c0007:numab-v3:2:guest:numa01/hard-bind")["path"], "numalab.numa01.hard-bind");
  EXPECT_EQ(test("numalab:c0007:numab-v3:2:guest:numa01/hard-bind:runtime_s")["path"],
            "numalab.numa01.hard-bind.runtime_s");
  EXPECT_EQ(kcidb_json(report_), doc_) << "the same report gives the same file";
}

TEST_F(KcidbJson, StatusesSayWhetherTheKernelOrTheTestFailed) {
  EXPECT_EQ(test("numalab:c0007:baseline:1")["status"], "PASS");
  EXPECT_EQ(test("numalab:c0007:baseline:1:guest:numa02")["status"], "PASS");

  const auto& fail = test("numalab:c0007:numab-v3:2:guest:cpuset-rebind");
  EXPECT_EQ(fail["status"], "FAIL");
  EXPECT_EQ(fail["misc"]["verdict"], "fail");
  EXPECT_EQ(fail["misc"]["run_id"], "0005");
  EXPECT_EQ(fail["misc"]["repetition"], 2);
  const std::string excerpt = fail["log_excerpt"];
  EXPECT_NE(
      excerpt.find("got <none> & \"2\" ]]> \x01\x1b[31mred\xEF\xBF\xBD\xEF\xBF\xBD(\xEF\xBF\xBDtail\nsecond"),
      std::string::npos)
      << "markup kept as text, invalid UTF-8 and NUL replaced: " << excerpt;
  EXPECT_EQ(test("numalab:c0007:numab-v3:2")["status"], "FAIL");

  const auto& hang = test("numalab:c0007:baseline#2:1:guest:numa01/hard-bind");
  EXPECT_EQ(hang["status"], "FAIL") << "a hang is the kernel's failure";
  EXPECT_EQ(hang["misc"]["verdict"], "hang");
  EXPECT_EQ(test("numalab:c0007:baseline#2:1")["status"], "FAIL");
  EXPECT_EQ(test("numalab:c0007:baseline#2:1")["misc"]["verdict"], "hang");

  const auto& not_run = test("numalab:c0007:baseline#2:1:guest:cpuset-rebind");
  EXPECT_EQ(not_run["status"], "MISS") << "never started: neither the test nor the kernel is judged";
  EXPECT_FALSE(not_run.contains("duration"));

  auto r = report_;
  r.runs[0].result->workloads[0].verdict = Verdict::error;
  r.runs[0].result->workloads[0].detail = "cannot mount cgroup2: Permission denied";
  const auto doc = kcidb_json(r);
  for (const auto& t : doc["tests"]) {
    if (t["id"] == "numalab:c0007:baseline:1:guest:numa02") {
      EXPECT_EQ(t["status"], "ERROR");
    }
  }
}

TEST_F(KcidbJson, MetricsCarryTheirNumbersAndTheComparison) {
  const auto& regressed = test("numalab:c0007:numab-v3:1:guest:numa02:system_s");
  EXPECT_EQ(regressed["status"], "DONE");
  EXPECT_EQ(regressed["number"], (json{{"value", 1.5}, {"unit", "s"}}));
  const auto& c = regressed["misc"]["comparison"];
  EXPECT_EQ(c["change"], "regression");
  EXPECT_EQ(c["significant"], true);
  EXPECT_EQ(c["baseline"], "baseline");
  EXPECT_LT(c["percent_better"].get<double>(), -49);
  EXPECT_GT(c["ratio_interval"]["low"].get<double>(), 1);
  EXPECT_LT(c["p_value"].get<double>(), 0.01);
  EXPECT_EQ(c["method"], "welch");
  EXPECT_NEAR(c["mean"].get<double>(), 1.502, 1e-9);
  EXPECT_NEAR(c["baseline_mean"].get<double>(), 1.001, 1e-9);

  EXPECT_FALSE(test("numalab:c0007:baseline:1:guest:numa02:system_s")["misc"].contains("comparison"))
      << "the baseline is not compared with itself";
  EXPECT_EQ(test("numalab:c0007:baseline#2:2:guest:numa02:system_s")["misc"]["comparison"]["change"],
            "not significant")
      << "the A/A copy is compared with the baseline";

  const auto& absent = test("numalab:c0007:numab-v3:1:guest:numa02:thp_fault_alloc");
  EXPECT_EQ(absent["status"], "SKIP");
  EXPECT_FALSE(absent.contains("number")) << "an absent counter is not 0";
  EXPECT_EQ(absent["misc"]["absent"], true);
  EXPECT_EQ(test("numalab:c0007:baseline:2:guest:numa02:migrate_mbps")["number"]["unit"], "MB/s");
}

TEST_F(KcidbJson, EveryTestSaysWhereItRan) {
  const auto& env = test("numalab:c0007:baseline:1:guest:numa02")["environment"];
  EXPECT_EQ(env["misc"]["lab"], "numa2");
  EXPECT_EQ(env["misc"]["accel"], "tcg");
  ASSERT_EQ(env["misc"]["machines"].size(), 1u);
  const auto& topology = env["misc"]["machines"][0]["topology"];
  EXPECT_EQ(topology["node_count"], 2);
  EXPECT_EQ(topology["cpu_count"], 4);
  EXPECT_EQ(topology["memory_kb"], 1048576);
  EXPECT_EQ(topology["distances"], (json{{10, 20}, {20, 10}}));
  EXPECT_EQ(topology["nodes"][1]["cpus"], (json{2, 3}));
  EXPECT_EQ(env["comment"], "numalab lab numa2, machine guest: 2 nodes, 4 CPUs, 1024 MiB (tcg)");
  EXPECT_EQ(test("numalab:c0007:baseline:1:guest:numa02")["start_time"], "2026-11-22T14:11:00Z");
}

TEST_F(KcidbJson, TheOriginIsReducedToWhatKcidbAccepts) {
  const auto doc = kcidb_json(report_, "My CI!");
  EXPECT_EQ(doc["checkouts"][0]["origin"], "my_ci_");
  EXPECT_EQ(doc["checkouts"][0]["id"], "my_ci_:c0007:baseline");
  EXPECT_EQ(doc["tests"][0]["id"], "my_ci_:c0007:baseline:1");
  const auto check = json_schema_check(write(doc, "origin.json"));
  EXPECT_EQ(check.exit_code, 0) << check.output;
}

}  // namespace
}  // namespace numalab::report
