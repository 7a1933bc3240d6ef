// Blocking and noise as a user sees them: the stored compare's options (side by side, blocking),
// the verdicts rebuilt from stored runs, the text table's noise columns and the compare document.

#include <gtest/gtest.h>

#include <cmath>

#include "compare/compare_json.hpp"
#include "report/compare_loading.hpp"
#include "report/compare_statistics.hpp"
#include "report/compare_table.hpp"
#include "report_test_support.hpp"
#include "run/compare_runner.hpp"
#include "slot_runs_support.hpp"
#include "util/json_text.hpp"

namespace numalab {
namespace {

using test_support::slot_compare;

const compare::MetricComparison& elapsed(const report::CompareReport& r) {
  for (const auto& m : r.comparisons.at(0).metrics)
    if (m.key.name == "elapsed_s") return m;
  throw std::runtime_error("no elapsed_s");
}

TEST(CompareNoise, OptionsKeepTheBlockingAsAskedAndWhetherTheRunsRanSideBySide) {
  compare::ComparisonOptions o;
  o.side_by_side = true;
  o.power = {0.05, 0.9, 0.05};
  const auto j = report::options_json(o);
  EXPECT_EQ(j["blocking"], "auto");
  EXPECT_EQ(j["side_by_side"], true);
  EXPECT_EQ(j["blocking_used"], "slot");
  const auto back = report::options_from_json(j);
  EXPECT_FALSE(back.blocking);
  EXPECT_TRUE(back.side_by_side);
  EXPECT_EQ(back.blocking_used(), compare::Blocking::slot);
  EXPECT_DOUBLE_EQ(back.power.change, 0.05);
  EXPECT_DOUBLE_EQ(back.power.power, 0.9);
  o.blocking = compare::Blocking::none;
  EXPECT_EQ(report::options_json(o)["blocking_used"], "none");
  // What an older numalab stored: no blocking, not side by side.
  const auto old = report::options_from_json({{"level", 0.95}, {"method", "auto"}});
  EXPECT_EQ(old.blocking_used(), compare::Blocking::none);
}

TEST(CompareNoise, AStoredSideBySideCompareIsBlockedBySlot) {
  auto s = test_support::memory_store();
  // Each slot's load moves both kernels alike by up to 50 %; the patched kernel is 4 % slower.
  const auto id = slot_compare(*s, "numa2", {"base", "patched"}, 1.04, true);
  auto loaded = report::load_compare_report(*s, id);
  ASSERT_TRUE(loaded && *loaded);
  auto& r = **loaded;
  EXPECT_EQ(r.comparisons[0].blocking, compare::Blocking::slot);
  const auto& m = elapsed(r);
  EXPECT_EQ(m.blocking, compare::Blocking::slot);
  EXPECT_EQ(m.method, compare::IntervalMethod::paired);
  EXPECT_TRUE(m.significant);
  EXPECT_EQ(m.change, compare::Change::regression);
  ASSERT_TRUE(m.blocked);
  EXPECT_EQ(m.blocked->slots, 5u);
  EXPECT_FALSE(*m.unblocked.p_value < 0.05) << "the slots' load hides it from the unblocked test";
  EXPECT_LT(*m.noise.blocked_ratio_cv, 0.5 * *m.noise.ratio_cv);

  const auto table = report::format_compare_table(r);
  EXPECT_NE(table.find("verdicts blocked by slot"), std::string::npos) << table;
  EXPECT_NE(table.find("ratio cv %"), std::string::npos) << table;
  EXPECT_NE(table.find("boots per kernel a 10 % change needs at 80 % power"), std::string::npos) << table;

  // --from-db --blocking none: the same runs, the unblocked verdict.
  r.options.blocking = compare::Blocking::none;
  report::compute_statistics(r);
  EXPECT_EQ(elapsed(r).blocking, compare::Blocking::none);
  EXPECT_FALSE(elapsed(r).significant);
  EXPECT_EQ(report::format_compare_table(r).find("verdicts blocked by slot"), std::string::npos);
}

TEST(CompareNoise, ASequentialCompareIsNotBlockedUnlessAsked) {
  auto s = test_support::memory_store();
  auto loaded = report::load_compare_report(*s, slot_compare(*s, "numa2", {"base", "patched"}, 1.04, false));
  ASSERT_TRUE(loaded && *loaded);
  const auto& m = elapsed(**loaded);
  EXPECT_EQ(m.blocking, compare::Blocking::none);
  ASSERT_TRUE(m.blocked) << "the blocked noise is reported all the same";
  EXPECT_TRUE(m.noise.blocked_ratio_cv && m.noise.boots_needed_blocked);
}

TEST(CompareNoise, TheTableShowsEachMetricsNoise) {
  const auto r = report::test_support::sample_report();
  const auto table = report::format_compare_table(r);
  // numa02 system_s: baseline 1.000/1.002, numab-v3 1.500/1.504: CVs 0.1 % and 0.2 %.
  const auto row = table.substr(table.find("numa02 system_s"));
  EXPECT_NE(row.substr(0, row.find('\n')).find("0.1/0.2"), std::string::npos) << table;
  const auto& m = *report::test_support::find_metric(r, 0, "numa02", "system_s");
  EXPECT_NEAR(*m.noise.ratio_cv, std::hypot(*m.baseline.cv, *m.other.cv), 1e-12);
  EXPECT_EQ(m.noise.boots_needed, 2u) << "so little noise: the fewest boots a test has";
}

TEST(CompareNoise, TheDocumentCarriesBothAnalysesAndPassesTheRenderersCheck) {
  const auto r = report::test_support::sample_report();
  const auto doc = report::to_json(r);
  EXPECT_EQ(doc["version"], 3);
  nlohmann::json metric;
  for (const auto& m : doc["comparisons"][0]["metrics"])
    if (m["workload"] == "numa02" && m["name"] == "system_s") metric = m;
  for (const char* key : {"blocking", "unblocked", "blocked", "noise"})
    EXPECT_TRUE(metric.contains(key)) << key;
  EXPECT_EQ(metric["noise"]["boots_needed"], 2);
  EXPECT_EQ(metric["blocked"]["slots"], 2);
  auto dir = util::ScopedTempDir::create("numalab-doc-");
  ASSERT_TRUE(dir);
  report::test_support::write_file(dir->path() / "compare.json", util::json_document(doc));
  const auto check =
      report::test_support::run_tool({"/usr/bin/python3", "-c",
                                      "import sys; sys.path.insert(0, sys.argv[1]); from numalab_report "
                                      "import document; document.load(sys.argv[2])",
                                      report::test_support::source_path("harness/report").string(),
                                      (dir->path() / "compare.json").string()});
  EXPECT_EQ(check.exit_code, 0) << check.output;
}

}  // namespace
}  // namespace numalab
