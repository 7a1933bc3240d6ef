// A whole comparison: pairing metrics, the significance rule over many metrics at once, the A/A
// noise, the per-workload geometric mean and the JSON.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "compare/aa_noise.hpp"
#include "compare/compare_json.hpp"
#include "compare/kernel_comparison.hpp"

namespace numalab::compare {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

MetricSamples samples(std::string workload, std::string name, std::string unit, Better better,
                      std::vector<double> values) {
  return {{std::move(workload), std::move(name)}, std::move(unit), better, std::move(values)};
}

std::vector<double> normal_values(std::mt19937_64& g, double mean, double sd, int n) {
  std::normal_distribution<double> d(mean, sd);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(d(g));
  return out;
}

// `metrics` metrics, every one drawn from N(100, 5) on both kernels, n boots each.
std::pair<KernelSamples, KernelSamples> aa_lab(int metrics, int n, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  KernelSamples a{"baseline", {}}, b{"baseline", {}};
  for (int i = 0; i < metrics; ++i) {
    std::string name = "m" + std::to_string(i);
    a.metrics.push_back(
        samples("w" + std::to_string(i % 7), name, "s", Better::lower, normal_values(g, 100, 5, n)));
    b.metrics.push_back(
        samples("w" + std::to_string(i % 7), name, "s", Better::lower, normal_values(g, 100, 5, n)));
  }
  return {a, b};
}

TEST(CompareKernelsTest, PairsMetricsByWorkloadAndName) {
  KernelSamples base{
      "base", {samples("w", "a", "s", Better::lower, {1, 2}), samples("w", "b", "", Better::none, {3})}};
  KernelSamples other{
      "patched", {samples("w", "b", "pages", Better::none, {4}), samples("v", "a", "s", Better::lower, {5})}};
  auto paired = pair_metrics(base, other);
  ASSERT_EQ(paired.size(), 3u);
  EXPECT_EQ(to_string(paired[0].key), "w/a");
  EXPECT_TRUE(paired[0].other.empty());
  EXPECT_EQ(paired[1].unit, "pages") << "the other kernel's unit fills in a missing one";
  EXPECT_EQ(paired[1].other, std::vector<double>{4});
  EXPECT_EQ(to_string(paired[2].key), "v/a");
  EXPECT_TRUE(paired[2].baseline.empty());
}

TEST(CompareKernelsTest, AaWithWelchStaysNearTheNominalRate) {
  auto [a, b] = aa_lab(200, 5, 2024);
  auto c = compare_kernels(a, b, {});
  EXPECT_TRUE(c.aa());
  ASSERT_EQ(c.metrics.size(), 200u);
  EXPECT_EQ(c.metrics[0].method, IntervalMethod::welch);
  std::vector<KernelComparison> all{c};
  auto noise = aa_noise(all);
  EXPECT_EQ(noise.tested, 200u);
  EXPECT_LE(*noise.flagged_share, 0.05);
  EXPECT_GE(*noise.raw_share, 0.01) << "about 5 % of 95 % intervals miss, before the correction";
  EXPECT_LE(*noise.raw_share, 0.10);
}

TEST(CompareKernelsTest, AaWithTheBootstrapStaysAtOrBelowTheNominalRate) {
  auto [a, b] = aa_lab(200, 10, 99);
  ComparisonOptions o;
  o.method = IntervalMethod::bootstrap;
  o.bootstrap_resamples = 500;
  std::vector<KernelComparison> all{compare_kernels(a, b, o)};
  auto noise = aa_noise(all);
  EXPECT_LE(*noise.flagged_share, 0.05);
  EXPECT_LE(*noise.raw_share, 0.15) << "percentile intervals on 10 values are too narrow, not wild";
}

TEST(CompareKernelsTest, RealChangesStandOutOfTheNoise) {
  auto [a, b] = aa_lab(30, 5, 5);
  b.kernel = "patched";
  for (auto& v : b.metrics[3].values) v *= 1.3;   // 30 % slower: a regression
  for (auto& v : b.metrics[11].values) v *= 0.7;  // 30 % faster: a gain
  auto c = compare_kernels(a, b, {});
  EXPECT_FALSE(c.aa());
  EXPECT_EQ(c.metrics[3].change, Change::regression);
  EXPECT_EQ(c.metrics[11].change, Change::gain);
  int significant = 0;
  for (const auto& m : c.metrics) significant += m.significant ? 1 : 0;
  EXPECT_GE(significant, 2);
  EXPECT_LE(significant, 3) << "at most one unchanged metric among 28 flagged by chance";
}

TEST(CompareKernelsTest, AnIntervalThatExcludesOneIsNotEnoughAmongManyMetrics) {
  std::vector<MetricComparison> metrics(10);
  for (auto& m : metrics) {
    m.ratio = 1.0;
    m.ratio_interval = Interval{0.9, 1.1};
    m.p_value = 0.5;
  }
  metrics[0].ratio = 1.2;
  metrics[0].ratio_interval = Interval{1.01, 1.4};
  metrics[0].p_value = 0.03;  // Benjamini-Hochberg's first threshold is 0.05 / 10
  apply_significance(metrics, 0.05);
  EXPECT_TRUE(metrics[0].interval_excludes_one);
  EXPECT_FALSE(metrics[0].fdr_rejected);
  EXPECT_FALSE(metrics[0].significant);
  EXPECT_EQ(metrics[0].change, Change::not_significant);
  metrics[0].p_value = 0.004;
  apply_significance(metrics, 0.05);
  EXPECT_TRUE(metrics[0].significant);
}

TEST(CompareKernelsTest, WorkloadGeometricMeanIsOrientedSoAboveOneIsBetter) {
  KernelSamples base{"base",
                     {samples("w", "time", "s", Better::lower, {10, 10}),
                      samples("w", "bw", "MB/s", Better::higher, {100, 100}),
                      samples("w", "pages", "pages", Better::none, {5, 5}),
                      samples("w", "hint", "faults", Better::lower, {k_nan, k_nan}),
                      samples("v", "time", "s", Better::lower, {4, 4})}};
  KernelSamples other{"patched",
                      {samples("w", "time", "s", Better::lower, {8, 8}),
                       samples("w", "bw", "MB/s", Better::higher, {125, 125}),
                       samples("w", "pages", "pages", Better::none, {9, 9}),
                       samples("w", "hint", "faults", Better::lower, {k_nan, k_nan}),
                       samples("v", "time", "s", Better::lower, {5, 5})}};
  auto c = compare_kernels(base, other, {});
  ASSERT_EQ(c.workloads.size(), 2u);
  EXPECT_EQ(c.workloads[0].workload, "w");
  EXPECT_NEAR(*c.workloads[0].geomean_ratio, 1.25, 1e-12) << "time 0.8 (oriented 1.25) and bandwidth 1.25";
  EXPECT_EQ(c.workloads[0].metrics_counted, 2u);
  EXPECT_EQ(c.workloads[0].metrics_left_out, 2u) << "no direction, and absent";
  EXPECT_EQ(c.workloads[0].gains, 2u);
  EXPECT_EQ(c.workloads[0].changed, 1u);
  EXPECT_NEAR(*c.workloads[1].geomean_ratio, 0.8, 1e-12);
  EXPECT_EQ(c.workloads[1].regressions, 1u);
}

TEST(CompareKernelsTest, ResultsDoNotDependOnTheOrderOfMetrics) {
  auto [a, b] = aa_lab(12, 6, 11);
  ComparisonOptions o;
  o.method = IntervalMethod::bootstrap;
  auto forward = compare_kernels(a, b, o);
  std::ranges::reverse(a.metrics);
  std::ranges::reverse(b.metrics);
  auto backward = compare_kernels(a, b, o);
  EXPECT_EQ(forward.metrics[0].key, backward.metrics[11].key);
  EXPECT_EQ(*forward.metrics[0].ratio_interval, *backward.metrics[11].ratio_interval);
  EXPECT_EQ(*forward.metrics[0].p_value, *backward.metrics[11].p_value);
}

TEST(CompareKernelsTest, EmptyInputsAreFine) {
  auto c = compare_kernels({"a", {}}, {"b", {}}, {});
  EXPECT_TRUE(c.metrics.empty());
  EXPECT_TRUE(c.workloads.empty());
  auto noise = aa_noise(std::span<const KernelComparison>{});
  EXPECT_EQ(noise.tested, 0u);
  EXPECT_FALSE(noise.flagged_share.has_value());
}

TEST(CompareKernelsTest, OptionsOutOfRangeFallBackToTheDefaults) {
  KernelSamples base{"base", {samples("w", "time", "s", Better::lower, {10, 10.2, 9.9})}};
  KernelSamples other{"patched", {samples("w", "time", "s", Better::lower, {12, 12.1, 11.8})}};
  ComparisonOptions o;
  o.level = 7;
  o.fdr_q = -1;
  o.bootstrap_resamples = 0;
  auto c = compare_kernels(base, other, o);
  EXPECT_EQ(c.fdr_q, k_default_fdr_q);
  EXPECT_TRUE(c.metrics[0].significant);
  o.method = IntervalMethod::bootstrap;
  EXPECT_TRUE(compare_kernels(base, other, o).metrics[0].ratio_interval->excludes(1.0));
}

TEST(CompareKernelsTest, JsonSaysNullForWhatIsUndefined) {
  KernelSamples base{"base",
                     {samples("w", "hint", "faults", Better::lower, {k_nan}),
                      samples("w", "time", "s", Better::lower, {1, 2, 3})}};
  KernelSamples other{"patched",
                      {samples("w", "hint", "faults", Better::lower, {7}),
                       samples("w", "time", "s", Better::lower, {1.1, 2.2, 3.1})}};
  auto j = to_json(compare_kernels(base, other, {}));
  EXPECT_EQ(j["baseline"], "base");
  EXPECT_EQ(j["aa"], false);
  const auto& hint = j["metrics"][0];
  EXPECT_TRUE(hint["baseline"]["mean"].is_null());
  EXPECT_EQ(hint["baseline"]["absent"], true);
  EXPECT_TRUE(hint["ratio"].is_null());
  EXPECT_EQ(hint["change"], "not compared");
  const auto& time = j["metrics"][1];
  EXPECT_EQ(time["method"], "welch");
  EXPECT_EQ(time["better"], "lower");
  EXPECT_TRUE(time["ratio_interval"]["low"].is_number());
  EXPECT_TRUE(j["workloads"][0]["geomean_ratio"].is_number());
  std::vector<KernelComparison> none;
  EXPECT_TRUE(to_json(aa_noise(none))["flagged_share"].is_null());
}

}  // namespace
}  // namespace numalab::compare
