// One metric compared between two kernels: the rules a user reads in the comparison table.
// Expected numbers from Debian's python3-scipy 1.10 (see compare_statistics_test.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "compare/kernel_comparison.hpp"

namespace numalab::compare {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_inf = std::numeric_limits<double>::infinity();

MetricInput input(std::string unit, Better better, std::vector<double> baseline, std::vector<double> other) {
  MetricInput in;
  in.key = {"stream", "value"};
  in.unit = std::move(unit);
  in.better = better;
  in.baseline = std::move(baseline);
  in.other = std::move(other);
  return in;
}

// compare_metric and the significance rule, as compare_kernels applies them to a single metric.
MetricComparison compared(const MetricInput& in, ComparisonOptions options = {}) {
  std::vector<MetricComparison> all{compare_metric(in, options)};
  apply_significance(all, options.fdr_q);
  return all[0];
}

TEST(CompareMetricTest, FewBootsUseWelchAndFieller) {
  auto c = compared(input("s", Better::lower, {10.2, 9.8, 10.5, 10.1, 9.9}, {11.0, 11.4, 10.8, 11.3, 11.1}));
  EXPECT_EQ(c.method, IntervalMethod::welch);
  EXPECT_NE(c.method_reason.find("5 and 5 values"), std::string::npos) << c.method_reason;
  EXPECT_NEAR(*c.ratio, 11.12 / 10.1, 1e-12);
  EXPECT_NEAR(c.ratio_interval->low, 1.0622102074656075, 1e-9);
  EXPECT_NEAR(c.ratio_interval->high, 1.1415250983525338, 1e-9);
  EXPECT_NEAR(*c.p_value, 0.00025751498893661383, 1e-10);
  EXPECT_TRUE(c.significant);
  EXPECT_EQ(c.change, Change::regression) << "10 % slower is worse for a time";
  EXPECT_NEAR(*c.percent_better, -10.099009900990099, 1e-9);
}

TEST(CompareMetricTest, RatesCompareHarmonicMeans) {
  auto c = compared(input("MB/s", Better::higher, {100, 120, 110, 105}, {90, 95, 99, 93}));
  EXPECT_EQ(c.mean_kind, MeanKind::harmonic);
  EXPECT_NEAR(*c.baseline.mean, 108.26010544815465, 1e-10);
  EXPECT_NEAR(*c.ratio, 0.8695475066161589, 1e-12);
  // Welch on 1/x: scipy.stats.ttest_ind(1/base, 1/other, equal_var=False).
  EXPECT_NEAR(*c.p_value, 0.020695997027086684, 1e-10);
  EXPECT_NEAR(c.ratio_interval->low, 0.7720839525280958, 1e-9);
  EXPECT_NEAR(c.ratio_interval->high, 0.9718915181186268, 1e-9);
  EXPECT_EQ(c.change, Change::regression);
}

TEST(CompareMetricTest, PlusMeansBetterWhateverTheDirection) {
  EXPECT_NEAR(percent_better(0.8, Better::lower), 20.0, 1e-12) << "20 % less time: +20 %";
  EXPECT_NEAR(percent_better(0.8, Better::higher), -20.0, 1e-12) << "20 % less bandwidth: -20 %";
  EXPECT_NEAR(percent_better(1.1, Better::higher), 10.0, 1e-12);
  EXPECT_NEAR(percent_better(1.1, Better::lower), -10.0, 1e-12);
  EXPECT_NEAR(percent_better(1.1, Better::none), 10.0, 1e-12) << "no direction: the plain change";
  EXPECT_NEAR(*oriented_ratio(0.8, Better::lower), 1.25, 1e-12);
  EXPECT_NEAR(*oriented_ratio(0.8, Better::higher), 0.8, 1e-12);
  EXPECT_FALSE(oriented_ratio(0.8, Better::none).has_value());
  EXPECT_FALSE(oriented_ratio(0, Better::lower).has_value());

  std::vector<double> slow{10, 10.1, 9.9}, fast{8, 8.1, 7.9};
  EXPECT_EQ(compared(input("s", Better::lower, slow, fast)).change, Change::gain);
  EXPECT_EQ(compared(input("MB/s", Better::higher, slow, fast)).change, Change::regression);
  EXPECT_EQ(compared(input("pages", Better::none, slow, fast)).change, Change::changed);
  EXPECT_EQ(to_string(Change::regression), "regression");
}

TEST(CompareMetricTest, AbsentIsNotZero) {
  auto c = compared(input("faults", Better::lower, {k_nan, k_nan, k_nan}, {3, 4, 5}));
  EXPECT_TRUE(c.baseline.absent());
  EXPECT_FALSE(c.baseline.mean.has_value());
  EXPECT_FALSE(c.ratio.has_value());
  EXPECT_FALSE(c.p_value.has_value());
  EXPECT_EQ(c.change, Change::not_compared);
  EXPECT_EQ(c.note, "absent on the baseline kernel");
  EXPECT_EQ(compared(input("x", Better::lower, {}, {})).note, "absent on both kernels");

  auto partly = compared(input("faults", Better::lower, {3, k_nan, 4, 5}, {3, 4, 5}));
  EXPECT_EQ(partly.baseline.n, 3u);
  EXPECT_EQ(partly.baseline.nan_count, 1u);
  EXPECT_NE(partly.note.find("no value in 1 of 4 boots"), std::string::npos) << partly.note;
}

TEST(CompareMetricTest, ZeroMeansGiveNoRatio) {
  auto zero = compared(input("faults", Better::lower, {0, 0, 0}, {1, 2, 3}));
  EXPECT_FALSE(zero.ratio.has_value());
  EXPECT_EQ(zero.note, "the baseline's mean is 0: the ratio is undefined");
  auto both = compared(input("faults", Better::lower, {0, 0}, {0, 0}));
  EXPECT_FALSE(both.ratio.has_value());
  EXPECT_EQ(both.note, "both means are 0: no ratio, and no change");
  EXPECT_EQ(compared(input("C", Better::none, {-3, -2}, {1, 2})).note,
            "the baseline's mean is negative: no ratio");
  auto to_zero = compared(input("faults", Better::lower, {5, 6, 7}, {0, 0, 0}));
  EXPECT_EQ(*to_zero.ratio, 0.0) << "falling to 0 is a ratio of 0";
  EXPECT_EQ(to_zero.change, Change::gain);
}

TEST(CompareMetricTest, OneBootGivesARatioButNoInterval) {
  auto c = compared(input("s", Better::lower, {10}, {12, 13}));
  EXPECT_NEAR(*c.ratio, 1.25, 1e-12);
  EXPECT_FALSE(c.ratio_interval.has_value());
  EXPECT_FALSE(c.p_value.has_value());
  EXPECT_FALSE(c.method.has_value());
  EXPECT_NE(c.method_reason.find("fewer than 2 values"), std::string::npos);
  EXPECT_EQ(c.change, Change::not_significant);
}

TEST(CompareMetricTest, NoVariationIsExact) {
  auto same = compared(input("pages", Better::lower, {5, 5, 5}, {5, 5, 5}));
  EXPECT_EQ(*same.ratio_interval, (Interval{1, 1}));
  EXPECT_EQ(*same.p_value, 1.0);
  EXPECT_EQ(same.change, Change::not_significant);
  auto moved = compared(input("pages", Better::lower, {5, 5, 5}, {6, 6, 6}));
  EXPECT_EQ(*moved.p_value, 0.0);
  EXPECT_TRUE(moved.significant);
  EXPECT_EQ(moved.change, Change::regression);
  EXPECT_NE(moved.method_reason.find("exact"), std::string::npos);
}

TEST(CompareMetricTest, InfinitiesAreLeftOut) {
  auto c = compared(input("s", Better::lower, {1, k_inf, 2, 3}, {-k_inf, 2, 3, 4}));
  EXPECT_EQ(c.baseline.infinite_count, 1u);
  EXPECT_NEAR(*c.ratio, 1.5, 1e-12);
  EXPECT_NE(c.note.find("infinite"), std::string::npos);
  auto huge = compared(input("s", Better::lower, {1e-300, 1e-300}, {1e300, 1e300}));
  EXPECT_FALSE(huge.ratio.has_value()) << huge.note;
}

TEST(CompareMetricTest, TheCallerCanAskForTheBootstrap) {
  ComparisonOptions o;
  o.method = IntervalMethod::bootstrap;
  auto c =
      compared(input("s", Better::lower, {10.2, 9.8, 10.5, 10.1, 9.9}, {11.0, 11.4, 10.8, 11.3, 11.1}), o);
  EXPECT_EQ(c.method, IntervalMethod::bootstrap);
  EXPECT_EQ(c.method_reason, "bootstrap, as asked");
  EXPECT_TRUE(c.ratio_interval->contains(*c.ratio));
  EXPECT_TRUE(c.significant);
}

TEST(CompareMetricTest, RecommendedMethodFollowsTheSampleSize) {
  EXPECT_EQ(recommend_method(3, 3).method, IntervalMethod::welch);
  EXPECT_EQ(recommend_method(k_bootstrap_min_n, k_bootstrap_min_n + 4).method, IntervalMethod::bootstrap);
  EXPECT_EQ(recommend_method(k_bootstrap_min_n, 3).method, IntervalMethod::welch)
      << "the smaller side decides";
  EXPECT_FALSE(recommend_method(1, 10).method.has_value());
  EXPECT_FALSE(recommend_method(0, 0).reason.empty());
  EXPECT_EQ(interval_method_from_string("welch"), IntervalMethod::welch);
  EXPECT_FALSE(interval_method_from_string("t").has_value());
}

}  // namespace
}  // namespace numalab::compare
