// The pure parts of reproducer bundles: the Wilson interval, the reproduction rate as repro prints
// it, the manifest, and the time to failure read from an agent timeline.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "bundle/bundle_manifest.hpp"
#include "bundle/reproduction_rate.hpp"
#include "bundle/time_to_failure.hpp"
#include "bundle/wilson_interval.hpp"
#include "util/temp_dir.hpp"

namespace numalab::bundle {
namespace {

// Reference values: Wilson (1927) 95 % intervals as R's binom::binom.confint(method = "wilson")
// and statsmodels' proportion_confint(method = "wilson") give them.
TEST(WilsonInterval, KnownValues) {
  struct Case {
    int hits, runs;
    double low, high;
  };
  for (const auto& c : {Case{0, 10, 0.0, 0.2775}, Case{10, 10, 0.7225, 1.0}, Case{5, 10, 0.2366, 0.7634},
                        Case{2, 2, 0.3424, 1.0}, Case{1, 1, 0.2065, 1.0}, Case{0, 1, 0.0, 0.7935},
                        Case{1, 2, 0.0945, 0.9055}, Case{81, 263, 0.2553, 0.3662}}) {
    const auto p = wilson_interval(c.hits, c.runs);
    EXPECT_NEAR(p.low, c.low, 5e-4) << c.hits << " of " << c.runs;
    EXPECT_NEAR(p.high, c.high, 5e-4) << c.hits << " of " << c.runs;
    EXPECT_DOUBLE_EQ(p.estimate, static_cast<double>(c.hits) / c.runs);
  }
}

TEST(WilsonInterval, StaysInsideZeroOneAndSaysNothingWithoutRuns) {
  const auto none = wilson_interval(0, 0);
  EXPECT_EQ(none.low, 0);
  EXPECT_EQ(none.high, 1);
  for (int n = 1; n <= 50; ++n)
    for (int k = 0; k <= n; ++k) {
      const auto p = wilson_interval(k, n);
      EXPECT_GE(p.low, 0);
      EXPECT_LE(p.high, 1);
      EXPECT_LE(p.low, p.estimate);
      EXPECT_GE(p.high, p.estimate);
    }
}

TEST(ReproductionRate, AsReproPrintsIt) {
  EXPECT_EQ(format_reproduction_rate(2, 2), "reproduced 2 of 2 (100 %, 95 % CI 34–100 %, Wilson)");
  EXPECT_EQ(format_reproduction_rate(0, 10), "reproduced 0 of 10 (0 %, 95 % CI 0–28 %, Wilson)");
  EXPECT_EQ(format_reproduction_rate(5, 10), "reproduced 5 of 10 (50 %, 95 % CI 24–76 %, Wilson)");
  EXPECT_EQ(format_failure_times({17.04, 17.46}), "time to failure: 17.0 s, 17.5 s (mean 17.2 s)");
  EXPECT_EQ(format_failure_times({}), "");
}

BundleManifest sample_manifest() {
  BundleManifest m;
  m.numalab_version = "0.1.0 (git abc1234)";
  m.run_id = "0007";
  m.lab = "panic";
  m.lab_file = "/work/lab/panic.toml";
  m.verdict = "crash";
  m.reason = "guest: kernel panic";
  m.started_at = "2026-11-22T13:55:30Z";
  m.duration_s = 24.5;
  m.created_at = "2026-11-22T14:00:00Z";
  m.with_kernel = true;
  m.machines = {{"guest",
                 {"patched",
                  "6.1.192",
                  "ab12",
                  "/c/bzImage",
                  "0123456789abcdef01234567",
                  "debian linux-source-6.1 6.1.192-2",
                  "patches/p",
                  "feed",
                  {"numa-lab", "debug"},
                  "machines/guest/bzImage"}}};
  m.series = {{"patched", "patches/patched", true}};
  m.files = {{"lab.toml", 139}, {"machines/guest/console.log", 26947}};
  m.notes = {"guest: no memory dump in the run folder"};
  return m;
}

TEST(BundleManifest, RoundTripsThroughJson) {
  const auto m = sample_manifest();
  const auto j = to_json(m);
  EXPECT_EQ(j["format"], "numalab-bundle");
  EXPECT_EQ(j["format_version"], k_bundle_format_version);
  auto back = manifest_from_json(nlohmann::json::parse(j.dump()));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_json(*back), j);
  ASSERT_NE(back->find_machine("guest"), nullptr);
  EXPECT_EQ(back->find_machine("guest")->kernel.cache_key, "0123456789abcdef01234567");
  EXPECT_EQ(back->find_machine("guest")->kernel.config, (std::vector<std::string>{"numa-lab", "debug"}));
  EXPECT_EQ(back->find_machine("other"), nullptr);
}

TEST(BundleManifest, RefusesNewerFormatsAndOtherDocuments) {
  auto j = to_json(sample_manifest());
  j["format_version"] = k_bundle_format_version + 1;
  auto newer = manifest_from_json(j);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().kind, util::ErrorKind::bad_input);
  EXPECT_NE(newer.error().message.find("newer numalab"), std::string::npos) << newer.error().message;
  EXPECT_FALSE(manifest_from_json(nlohmann::json::parse(R"({"run_id": "0001"})")));
  EXPECT_FALSE(manifest_from_json(nlohmann::json()));
  j = to_json(sample_manifest());
  j["machines"] = "not a list";
  EXPECT_FALSE(manifest_from_json(j));  // a value of the wrong type is an error, not an exception
}

class TimeToFailure : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = util::ScopedTempDir::create("numalab-ttf-");
    ASSERT_TRUE(d);
    dir_ = std::make_unique<util::ScopedTempDir>(std::move(*d));
    std::filesystem::create_directories(dir_->path() / "guest");
    run_.run_dir = dir_->path().string();
    run_.verdict = result::Verdict::crash;
    run_.duration_s = 24.5;
    run_.machines.push_back({});
    run_.machines.back().name = "guest";
  }
  void timeline(const std::string& text) { std::ofstream(dir_->path() / "guest" / "agent.jsonl") << text; }

  std::unique_ptr<util::ScopedTempDir> dir_;
  result::RunResult run_;
};

// Lines as a real crash run wrote them (trigger action = "panic" on Debian's kernel).
TEST_F(TimeToFailure, IsTheVerdictNoteOfAHangOrCrash) {
  timeline(R"({"at":16.96,"dir":"in","line":"{\"t\":\"hello\",\"protocol\":1}"}
{"at":17.000440803,"dir":"in","line":"{\"t\":\"start\",\"workload\":\"trigger\"}"}
{"at":17.014432126,"dir":"note","line":"verdict crash: kernel panic: [    5.355040] Kernel panic - not syncing: sysrq triggered crash"}
{"at":17.051157702,"dir":"qmp","line":"GUEST_PANICKED {\"action\":\"pause\"}"}
)");
  ASSERT_TRUE(time_to_failure(run_));
  EXPECT_NEAR(*time_to_failure(run_), 17.0144, 1e-4);
}

TEST_F(TimeToFailure, IsTheEndOfTheFirstFailingWorkloadOtherwise) {
  timeline(
      R"({"at":6.09,"dir":"in","line":"{\"t\":\"end\",\"workload\":\"topology-check\",\"verdict\":\"pass\",\"detail\":\"\",\"elapsed_s\":0.12}"}
not json at all
{"at":9.5,"dir":"in","line":"{\"t\":\"end\",\"workload\":\"numa02\",\"verdict\":\"fail\",\"detail\":\"x\",\"elapsed_s\":3.4}"}
{"at":12.5,"dir":"in","line":"{\"t\":\"end\",\"workload\":\"numa01\",\"verdict\":\"fail\",\"detail\":\"y\",\"elapsed_s\":3.0}"}
)");
  run_.verdict = result::Verdict::fail;
  EXPECT_EQ(time_to_failure(run_), 9.5);
}

TEST_F(TimeToFailure, IsTheRunsDurationWithoutATimelineAndNothingForAPass) {
  EXPECT_EQ(time_to_failure(run_), 24.5);
  run_.verdict = result::Verdict::pass;
  EXPECT_FALSE(time_to_failure(run_));
}

}  // namespace
}  // namespace numalab::bundle
