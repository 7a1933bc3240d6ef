// numalab compare's plan, its record in the store, and the report rebuilt from stored runs: what a
// user sees in the table and what --from-db and --resume depend on.

#include <gtest/gtest.h>

#include <cmath>

#include "report/compare_loading.hpp"
#include "report/compare_statistics.hpp"
#include "report/compare_table.hpp"
#include "run/compare_runner.hpp"
#include "store/store.hpp"

namespace numalab {
namespace {

using model::Better;
using result::Verdict;

std::unique_ptr<store::ResultsStore> memory_store() {
  auto s = store::ResultsStore::open(":memory:");
  EXPECT_TRUE(s.has_value());
  return std::move(*s);
}

// One boot of a lab with one machine and one workload reporting elapsed_s (and, when given,
// a counter some kernels lack).
result::RunResult boot(const std::string& kernel, double elapsed, Verdict verdict = Verdict::pass,
                       std::optional<double> counter = std::nullopt) {
  result::RunResult r;
  r.lab = "numa2";
  r.lab_file = "lab/default.toml";
  r.started_at = "2026-11-22T10:00:00Z";
  r.verdict = verdict;
  r.duration_s = elapsed + 5;
  r.machines = {{.name = "guest",
                 .accel = "tcg",
                 .accel_reason = "",
                 .boot_seconds = 4,
                 .boot = "fresh",
                 .startup_key = "",
                 .boot_note = "",
                 .kernel = {kernel, "6.1.192", "sha-" + kernel, "/k/" + kernel},
                 .topology_seen = std::nullopt,
                 .kernel_reports = {}}};
  result::WorkloadResult w{.name = "numa02",
                           .machine = "guest",
                           .verdict = verdict,
                           .detail = verdict == Verdict::pass ? "" : "locality 40 % < 90 %",
                           .elapsed_s = elapsed,
                           .metrics = {{"elapsed_s", {elapsed, "s", Better::lower}}},
                           .series = {}};
  if (counter)
    w.metrics["numa_pte_updates"] = {*counter, "pages", Better::none};
  else
    w.metrics["numa_pte_updates"] = {std::nan(""), "pages", Better::none, true};
  r.workloads = {w};
  return r;
}

// Stores the runs of a compare as run_compare would: plan first, each run recorded as it ends.
std::string store_compare(store::ResultsStore& s, const std::vector<std::string>& kernels, int repeat,
                          const std::vector<result::RunResult>& runs) {
  store::CompareRecord rec;
  rec.lab = "numa2";
  rec.lab_file = "lab/default.toml";
  rec.lab_sha256 = "abc";
  rec.started_at = "2026-11-22T10:00:00Z";
  rec.repeat = repeat;
  rec.options = report::options_json({});
  for (const auto& name : kernels) {
    report::CompareKernel k;
    k.name = name;
    k.sha256 = "sha-" + name;
    rec.kernels.push_back(report::to_json(k));
  }
  rec.plan = run::interleaved_plan(kernels.size(), repeat);
  auto id = s.begin_compare(rec);
  EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto run = runs[i];
    auto run_id = s.begin_run(run.lab, run.lab_file, run.started_at);
    run.run_id = *run_id;
    EXPECT_TRUE(s.finish_run(run).has_value());
    EXPECT_TRUE(s.record_compare_run(*id, static_cast<int>(i) + 1, *run_id).has_value());
  }
  return *id;
}

TEST(ComparePlan, InterleavesKernelsWithinEachRepetition) {
  const auto plan = run::interleaved_plan(2, 3);
  ASSERT_EQ(plan.size(), 6u);
  const int kernels[] = {0, 1, 0, 1, 0, 1};
  const int reps[] = {1, 1, 2, 2, 3, 3};
  for (std::size_t i = 0; i < plan.size(); ++i) {
    EXPECT_EQ(plan[i].seq, static_cast<int>(i) + 1);
    EXPECT_EQ(plan[i].kernel, kernels[i]);
    EXPECT_EQ(plan[i].repetition, reps[i]);
    EXPECT_FALSE(plan[i].run_id);
  }
}

TEST(CompareStore, KeepsThePlanAndWhichRunsFinished) {
  auto s = memory_store();
  const auto id = store_compare(*s, {"base", "patched"}, 2, {boot("base", 10), boot("patched", 9)});
  EXPECT_EQ(id, "c0001");
  auto rec = s->load_compare("c1");
  ASSERT_TRUE(rec && *rec);
  EXPECT_EQ((*rec)->plan.size(), 4u);
  EXPECT_TRUE((*rec)->plan[0].run_id && (*rec)->plan[1].run_id);
  EXPECT_FALSE((*rec)->plan[2].run_id || (*rec)->plan[3].run_id);
  EXPECT_EQ((*rec)->kernels.size(), 2u);
  auto list = s->list_compares();
  ASSERT_TRUE(list && list->size() == 1);
  EXPECT_EQ((*list)[0].runs_done, 2);
  EXPECT_EQ((*list)[0].runs_planned, 4);
  EXPECT_EQ((*list)[0].kernels, "base,patched");
  EXPECT_TRUE(s->end_compare(id, "interrupted", 12.5).has_value());
  EXPECT_EQ((*s->load_compare(id))->state, "interrupted");
  auto none = s->load_compare("c0099");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  EXPECT_FALSE(s->record_compare_run(id, 99, "0001").has_value());  // no such planned run
}

TEST(CompareReportFromStore, AnInterruptedCompareIsIncompleteAndKeepsItsFinishedRuns) {
  auto s = memory_store();
  const auto id = store_compare(*s, {"base", "patched"}, 2, {boot("base", 10, Verdict::pass, 100)});
  auto r = report::load_compare_report(*s, id);
  ASSERT_TRUE(r && *r);
  EXPECT_FALSE((*r)->complete);
  EXPECT_TRUE((*r)->runs[0].result);
  EXPECT_FALSE((*r)->runs[1].result);
  EXPECT_EQ((*r)->kernels[0].release, "6.1.192");  // from the guest's hello
  EXPECT_EQ((*r)->accel, "tcg");
}

TEST(CompareReportFromStore, FlagsAClearChangeAndNamesFunctionalFailures) {
  auto s = memory_store();
  std::vector<result::RunResult> runs;
  const double base[] = {10.0, 10.2, 9.9, 10.1};
  const double patched[] = {12.0, 12.1, 11.9, 12.2};
  for (int i = 0; i < 4; ++i) {
    runs.push_back(boot("base", base[i], Verdict::pass, 1000 + i));
    runs.push_back(boot("patched", patched[i], i == 2 ? Verdict::fail : Verdict::pass, 1000 + i));
  }
  const auto id = store_compare(*s, {"base", "patched"}, 4, runs);
  auto loaded = report::load_compare_report(*s, id);
  ASSERT_TRUE(loaded && *loaded);
  const auto& r = **loaded;
  EXPECT_TRUE(r.complete);
  ASSERT_EQ(r.comparisons.size(), 1u);
  const auto regressions = r.regressions();
  ASSERT_EQ(regressions.size(), 1u);  // 20 % slower, lower is better
  EXPECT_EQ(regressions[0]->key.name, "elapsed_s");
  EXPECT_NEAR(*regressions[0]->percent_better, -20.0, 0.5);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].kernel, "patched");
  EXPECT_EQ(r.failures[0].repetition, 3);
  EXPECT_EQ(r.failures[0].detail, "locality 40 % < 90 %");

  const auto table = report::format_compare_table(r);
  EXPECT_NE(table.find("numa02 elapsed_s"), std::string::npos) << table;
  EXPECT_NE(table.find("(-19.90%)*"), std::string::npos) << table;  // 12.05 / 10.05
  EXPECT_NE(table.find("+ means better"), std::string::npos);
  EXPECT_NE(table.find("correcting for"), std::string::npos);
  EXPECT_NE(table.find("fail: numa02 on patched (repetition 3"), std::string::npos) << table;
  EXPECT_EQ(table.find("A/A"), std::string::npos);
}

TEST(CompareReportFromStore, AnAbsentCounterIsAbsentNotZero) {
  auto s = memory_store();
  std::vector<result::RunResult> runs;
  for (int i = 0; i < 2; ++i) {
    runs.push_back(boot("base", 10 + i));  // the counter is absent on this kernel
    runs.push_back(boot("patched", 10 + i, Verdict::pass, 500));
  }
  auto r = report::load_compare_report(*s, store_compare(*s, {"base", "patched"}, 2, runs));
  ASSERT_TRUE(r && *r);
  const auto samples = report::kernel_samples(**r, 0);
  bool found = false;
  for (const auto& m : samples.metrics)
    if (m.key.name == "numa_pte_updates") {
      found = true;
      ASSERT_EQ(m.values.size(), 2u);
      EXPECT_TRUE(std::isnan(m.values[0]) && std::isnan(m.values[1]));
    }
  EXPECT_TRUE(found);
  const auto table = report::format_compare_table(**r);
  EXPECT_NE(table.find("absent"), std::string::npos) << table;
}

TEST(CompareReportFromStore, AnAaComparisonReportsTheNoiseOfTheMachine) {
  auto s = memory_store();
  std::vector<result::RunResult> runs;
  const double a[] = {10.0, 10.3, 9.8};
  const double b[] = {10.1, 9.9, 10.2};
  for (int i = 0; i < 3; ++i) {
    runs.push_back(boot("base", a[i], Verdict::pass, 100 + a[i]));
    runs.push_back(boot("base", b[i], Verdict::pass, 100 + b[i]));
  }
  auto r = report::load_compare_report(*s, store_compare(*s, {"base", "base"}, 3, runs));
  ASSERT_TRUE(r && *r);
  ASSERT_TRUE((*r)->aa_noise);
  EXPECT_EQ((*r)->aa_noise->tested, 2u);
  EXPECT_EQ((*r)->aa_noise->flagged, 0u);
  EXPECT_NE(report::format_compare_table(**r).find("A/A noise: 0 of 2 metrics flagged"), std::string::npos);
}

TEST(CompareTable, ValuesKeepAboutFiveSignificantDigits) {
  EXPECT_EQ(report::format_value(12.345), "12.35");
  EXPECT_EQ(report::format_value(81233.4), "81233");
  EXPECT_EQ(report::format_value(0), "0");
  EXPECT_EQ(report::format_value(0.5), "0.5000");
  EXPECT_EQ(report::format_value(123.45), "123.5");  // fmt rounds half to even on the binary value
}

}  // namespace
}  // namespace numalab

namespace numalab {
namespace {

// Thirty settings that never change (threads = 4, a counter that stays 0) must not hide a real
// change: they cannot be flagged, so they are left out of the Benjamini-Hochberg family.
TEST(CompareSignificance, ConstantMetricsDoNotDiluteTheCorrection) {
  compare::KernelSamples base{"base", {}}, patched{"patched", {}};
  // Welch: t = 3.70, df = 5.96, p = 0.010: above 0.05 / 31, below 0.05 / 1.
  base.metrics.push_back({{"w", "elapsed_s"}, "s", Better::lower, {10, 10.4, 9.8, 10.2}});
  patched.metrics.push_back({{"w", "elapsed_s"}, "s", Better::lower, {10.6, 11.0, 10.5, 10.9}});
  for (int i = 0; i < 30; ++i) {
    const std::string name = "setting_" + std::to_string(i);
    base.metrics.push_back({{"w", name}, "", Better::none, {4, 4, 4, 4}});
    patched.metrics.push_back({{"w", name}, "", Better::none, {4, 4, 4, 4}});
  }
  const auto c = compare::compare_kernels(base, patched, {});
  ASSERT_EQ(c.metrics.size(), 31u);
  EXPECT_NEAR(*c.metrics[0].p_value, 0.010, 0.002);
  EXPECT_TRUE(c.metrics[0].significant);
  EXPECT_EQ(c.metrics[0].change, compare::Change::regression);
  EXPECT_FALSE(compare::in_correction_family(c.metrics[1]));
  EXPECT_FALSE(c.metrics[1].significant);
}

}  // namespace
}  // namespace numalab
