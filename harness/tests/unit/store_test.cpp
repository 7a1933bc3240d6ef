#include "store/store.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "store/run_id.hpp"
#include "store/schema.hpp"
#include "store_test_support.hpp"

namespace numalab::store {
namespace {

using namespace numalab::store::testing;

TEST(ResultsStore, OpensInMemoryAtTheCurrentSchemaVersion) {
  auto store = open_store(":memory:");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->schema_version(), k_schema_version);
  auto runs = store->list_runs();
  ASSERT_TRUE(runs.has_value());
  EXPECT_TRUE(runs->empty());
}

TEST(ResultsStore, AFinishedRunLoadsBackFieldByField) {
  auto store = open_store(":memory:");
  ASSERT_NE(store, nullptr);
  const result::RunResult stored = store_sample(*store);
  EXPECT_EQ(stored.run_id, "0001");
  auto loaded = store->load_run("0001");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  expect_same_run(stored, **loaded);
}

TEST(ResultsStore, FinishingARunAgainReplacesIt) {
  auto store = open_store(":memory:");
  ASSERT_NE(store, nullptr);
  result::RunResult run = store_sample(*store);
  run.verdict = Verdict::pass;
  run.reason.clear();
  run.machines.pop_back();
  run.workloads.resize(2);
  run.workloads[1].metrics.erase("copy_mb_s");
  ASSERT_TRUE(store->finish_run(run).has_value());
  auto loaded = store->load_run(run.run_id);
  ASSERT_TRUE(loaded.has_value() && loaded->has_value());
  expect_same_run(run, **loaded);
}

TEST(ResultsStore, ANaNMetricSurvivesTheRoundTrip) {
  auto store = open_store(":memory:");
  ASSERT_NE(store, nullptr);
  result::RunResult run = store_sample(*store);
  run.workloads[0].metrics["ratio"] = {std::numeric_limits<double>::quiet_NaN(), "", Better::none};
  ASSERT_TRUE(store->finish_run(run).has_value());
  auto loaded = store->load_run(run.run_id);
  ASSERT_TRUE(loaded.has_value() && loaded->has_value());
  EXPECT_TRUE(std::isnan((**loaded).workloads[0].metrics.at("ratio").value));
}

TEST(ResultsStore, KernelReportsAndFaultsSurviveTheRoundTrip) {
  auto store = open_store(":memory:");
  ASSERT_NE(store, nullptr);
  result::RunResult run = store_sample(*store);
  monitor::KernelReport hung;
  hung.kind = "hung-task";
  hung.title = "hung task in mutex_lock";
  hung.first_line = "INFO: task sh:44 blocked for more than 10 seconds.";
  hung.task = "sh";
  hung.pid = 44;
  hung.stack = {"__schedule", "schedule", "mutex_lock"};
  hung.line_number = 301;
  run.machines[1].kernel_reports = {hung};
  result::FaultRecord pause{.kind = "pause",
                            .machine = "guest-a",
                            .network = "",
                            .after = "",
                            .planned_at_s = 10,
                            .duration_s = 5,
                            .applied_at_s = 10.2,
                            .ended_at_s = 15.2,
                            .first_progress_after_s = std::nullopt,
                            .resumed = {},
                            .detail = ""};
  result::FaultRecord link{.kind = "link-down",
                           .machine = "guest-b",
                           .network = "storage",
                           .after = "pswpout",
                           .planned_at_s = 30,
                           .duration_s = 5,
                           .applied_at_s = 30.1,
                           .ended_at_s = 35.1,
                           .first_progress_after_s = 0.4,
                           .resumed = {{"guest-b", "pages_done", 0.4}, {"guest-b", "pswpin", 2.25}},
                           .detail = ""};
  run.faults = {pause, link};
  ASSERT_TRUE(store->finish_run(run).has_value());
  auto loaded = store->load_run(run.run_id);
  ASSERT_TRUE(loaded.has_value() && loaded->has_value());
  const auto& got = (*loaded)->machines.at(1).kernel_reports;
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].title, "hung task in mutex_lock");
  EXPECT_EQ(got[0].task, "sh");
  EXPECT_EQ(got[0].pid, 44);
  EXPECT_EQ(got[0].stack, hung.stack);
  EXPECT_EQ(got[0].line_number, 301u);
  EXPECT_TRUE((*loaded)->machines.at(0).kernel_reports.empty());
  ASSERT_EQ((*loaded)->faults.size(), 2u);
  EXPECT_EQ((*loaded)->faults[0].applied_at_s, 10.2);
  EXPECT_FALSE((*loaded)->faults[0].first_progress_after_s.has_value());
  EXPECT_TRUE((*loaded)->faults[0].resumed.empty());
  const auto& resumed = (*loaded)->faults[1].resumed;
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_EQ(resumed[0].counter, "pages_done");
  EXPECT_EQ(resumed[1].counter, "pswpin");
  EXPECT_EQ(resumed[1].machine, "guest-b");
  EXPECT_EQ(resumed[1].after_s, 2.25);
  EXPECT_EQ((*loaded)->faults[1].after, "pswpout");
  EXPECT_EQ((*loaded)->faults[0].after, "");
  // Finishing again replaces them rather than adding.
  ASSERT_TRUE(store->finish_run(run).has_value());
  auto again = store->load_run(run.run_id);
  EXPECT_EQ((*again)->faults.size(), 2u);
  EXPECT_EQ((*again)->faults[1].resumed.size(), 2u);
}

TEST(ResultsStore, ListsRunsNewestFirstWithTheirKernels) {
  auto store = open_store(":memory:");
  ASSERT_NE(store, nullptr);
  store_sample(*store);
  auto unfinished = store->begin_run("other-lab", "lab/other.toml", "2024-05-01T11:00:00Z");
  ASSERT_TRUE(unfinished.has_value());
  result::RunResult third = store_sample(*store);
  third.machines[1].kernel = third.machines[0].kernel;  // both machines boot the same kernel
  third.verdict = Verdict::pass;
  ASSERT_TRUE(store->finish_run(third).has_value());

  auto runs = store->list_runs();
  ASSERT_TRUE(runs.has_value()) << runs.error().message;
  ASSERT_EQ(runs->size(), 3u);
  EXPECT_EQ((*runs)[0].run_id, "0003");
  EXPECT_EQ((*runs)[0].verdict, "pass");
  EXPECT_EQ((*runs)[0].kernels, "debian");
  EXPECT_EQ((*runs)[0].duration_s, 42.5);
  EXPECT_EQ((*runs)[1].run_id, "0002");
  EXPECT_EQ((*runs)[1].lab, "other-lab");
  EXPECT_EQ((*runs)[1].verdict, "running");
  EXPECT_EQ((*runs)[1].kernels, "");
  EXPECT_EQ((*runs)[2].run_id, "0001");
  EXPECT_EQ((*runs)[2].verdict, "fail");
  EXPECT_EQ((*runs)[2].kernels, "debian,patched");
  EXPECT_EQ((*runs)[2].started_at, "2024-05-01T10:00:00Z");

  auto newest = store->list_runs(1);
  ASSERT_TRUE(newest.has_value());
  ASSERT_EQ(newest->size(), 1u);
  EXPECT_EQ((*newest)[0].run_id, "0003");
}

TEST(ResultsStore, ARunThatNeverFinishesStaysRunning) {
  auto store = open_store(":memory:");
  ASSERT_NE(store, nullptr);
  auto id = store->begin_run("numa3-memless", "lab/numa3-memless.toml", "2024-05-01T10:00:00Z");
  ASSERT_TRUE(id.has_value());
  auto loaded = store->load_run(*id);
  ASSERT_TRUE(loaded.has_value() && loaded->has_value());
  const result::RunResult& run = **loaded;
  EXPECT_EQ(run.run_id, *id);
  EXPECT_EQ(run.lab, "numa3-memless");
  EXPECT_EQ(run.lab_file, "lab/numa3-memless.toml");
  EXPECT_EQ(run.started_at, "2024-05-01T10:00:00Z");
  EXPECT_EQ(run.verdict, Verdict::error);
  EXPECT_NE(run.reason.find("did not finish"), std::string::npos) << run.reason;
  EXPECT_TRUE(run.machines.empty());
  EXPECT_TRUE(run.workloads.empty());
}

TEST(ResultsStore, UnknownRunsLoadAsNothingAndCannotBeFinished) {
  auto store = open_store(":memory:");
  ASSERT_NE(store, nullptr);
  for (const char* id : {"0001", "abc", "", "-1", "0"}) {
    auto loaded = store->load_run(id);
    ASSERT_TRUE(loaded.has_value()) << id;
    EXPECT_FALSE(loaded->has_value()) << id;
  }
  auto finished = store->finish_run(sample_run("0042"));
  ASSERT_FALSE(finished.has_value());
  EXPECT_EQ(finished.error().kind, util::ErrorKind::cannot_run);
  EXPECT_EQ(finished.error().message.rfind("results database :memory:: ", 0), 0u) << finished.error().message;
  EXPECT_NE(finished.error().message.find("no run 0042"), std::string::npos);
  EXPECT_FALSE(store->finish_run(sample_run("not-an-id")).has_value());
}

TEST(ResultsStore, AWorkloadOnAnUnknownMachineIsRefusedAndNothingIsWritten) {
  auto store = open_store(":memory:");
  ASSERT_NE(store, nullptr);
  auto id = store->begin_run("numa3-memless", "lab/numa3-memless.toml", "2024-05-01T10:00:00Z");
  ASSERT_TRUE(id.has_value());
  result::RunResult run = sample_run(*id);
  run.workloads[2].machine = "guest-c";
  auto finished = store->finish_run(run);
  ASSERT_FALSE(finished.has_value());
  EXPECT_NE(finished.error().message.find("guest-c"), std::string::npos);
  auto runs = store->list_runs();
  ASSERT_TRUE(runs.has_value());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].verdict, "running");
}

TEST(Schema, MigrationStepsCountUpFromOneToTheCurrentVersion) {
  int expected = 1;
  for (const Migration& step : migrations()) EXPECT_EQ(step.version, expected++);
  EXPECT_EQ(expected - 1, k_schema_version);
}

TEST(RunId, IsZeroPaddedToFourDigitsAndWiderWhenNeeded) {
  EXPECT_EQ(format_run_id(1), "0001");
  EXPECT_EQ(format_run_id(9999), "9999");
  EXPECT_EQ(format_run_id(12345), "12345");
  EXPECT_EQ(parse_run_id("0042"), 42);
  EXPECT_EQ(parse_run_id("42"), 42);
  EXPECT_EQ(parse_run_id("12345"), 12345);
  EXPECT_EQ(parse_run_id("0000"), std::nullopt);
  EXPECT_EQ(parse_run_id("+1"), std::nullopt);
  EXPECT_EQ(parse_run_id("1 "), std::nullopt);
  EXPECT_EQ(parse_run_id("99999999999999999999999"), std::nullopt);
}

TEST(RunId, AsTypedBecomesAsStored) {
  EXPECT_EQ(canonical_run_id("7"), "0007");
  EXPECT_EQ(canonical_run_id("0007"), "0007");
  EXPECT_EQ(canonical_run_id("00042"), "0042");
  EXPECT_EQ(canonical_run_id("12345"), "12345");
  EXPECT_EQ(canonical_run_id("0"), "0");
  EXPECT_EQ(canonical_run_id("latest"), "latest");
  EXPECT_EQ(canonical_run_id(""), "");
}

}  // namespace
}  // namespace numalab::store
