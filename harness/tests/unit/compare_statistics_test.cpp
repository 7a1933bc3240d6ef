// The statistics of `numalab compare` against values computed independently (Debian's
// python3-scipy 1.10: scipy.stats.ttest_ind(equal_var=False), scipy.stats.t.ppf,
// scipy.special.betainc, scipy.stats.hmean) and published examples.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "compare/benjamini_hochberg.hpp"
#include "compare/bootstrap.hpp"
#include "compare/incomplete_beta.hpp"
#include "compare/sample_summary.hpp"
#include "compare/student_t.hpp"
#include "compare/welch.hpp"

namespace numalab::compare {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_inf = std::numeric_limits<double>::infinity();

MeanEstimate estimated(const std::vector<double>& v) { return estimate(v).value(); }

TEST(CompareStatisticsTest, SummaryOfFiveBoots) {
  std::vector<double> v{10, 12, 9, 11, 13};
  auto s = summarize(v, MeanKind::arithmetic);
  EXPECT_EQ(s.n, 5u);
  EXPECT_DOUBLE_EQ(*s.mean, 11.0);
  EXPECT_NEAR(*s.stddev, 1.5811388300841898, 1e-12) << "sample standard deviation, n - 1";
  EXPECT_NEAR(*s.cv, 0.14373989364401726, 1e-12);
  EXPECT_EQ(*s.min, 9.0);
  EXPECT_EQ(*s.max, 13.0);
}

TEST(CompareStatisticsTest, RatesTakeTheHarmonicMean) {
  EXPECT_TRUE(is_rate("MB/s"));
  EXPECT_TRUE(is_rate("pages/s"));
  EXPECT_TRUE(is_rate("ops/s"));
  EXPECT_TRUE(is_rate("faults/s "));
  EXPECT_FALSE(is_rate("s"));
  EXPECT_FALSE(is_rate("%"));
  EXPECT_FALSE(is_rate("/s")) << "a unit that is only the per-second has no work in it";
  std::vector<double> rates{100, 120, 110, 105};
  auto s = summarize(rates, mean_kind_for_unit("MB/s"));
  EXPECT_EQ(s.mean_kind, MeanKind::harmonic);
  EXPECT_NEAR(*s.mean, 108.26010544815465, 1e-10);  // scipy.stats.hmean
  // Two boots moving the same 100 MB, in 1 s and in 0.5 s: 200 MB in 1.5 s is 133.3 MB/s, not 150.
  std::vector<double> two{100, 200};
  EXPECT_NEAR(*summarize(two, MeanKind::harmonic).mean, 400.0 / 3.0, 1e-12);
}

TEST(CompareStatisticsTest, AHarmonicMeanWithAZeroFallsBackToArithmetic) {
  std::vector<double> v{0, 100, 200};
  auto s = summarize(v, MeanKind::harmonic);
  EXPECT_EQ(s.mean_kind, MeanKind::arithmetic);
  EXPECT_DOUBLE_EQ(*s.mean, 100.0);
}

TEST(CompareStatisticsTest, AbsentValuesAreCountedNotAveraged) {
  std::vector<double> some{k_nan, 4, k_nan, 6, k_inf};
  auto s = summarize(some, MeanKind::arithmetic);
  EXPECT_EQ(s.n, 2u);
  EXPECT_EQ(s.nan_count, 2u);
  EXPECT_EQ(s.infinite_count, 1u);
  EXPECT_DOUBLE_EQ(*s.mean, 5.0);

  std::vector<double> none{k_nan, k_nan};
  auto absent = summarize(none, MeanKind::arithmetic);
  EXPECT_TRUE(absent.absent());
  EXPECT_FALSE(absent.mean.has_value()) << "absent is not 0";
  EXPECT_FALSE(absent.min.has_value());
  EXPECT_TRUE(summarize({}, MeanKind::harmonic).absent());

  std::vector<double> one{7};
  auto single = summarize(one, MeanKind::arithmetic);
  EXPECT_DOUBLE_EQ(*single.mean, 7.0);
  EXPECT_FALSE(single.stddev.has_value()) << "one boot has no spread";
  EXPECT_FALSE(single.cv.has_value());
}

TEST(CompareStatisticsTest, IncompleteBetaMatchesScipy) {
  EXPECT_NEAR(regularized_incomplete_beta(0.3, 2.5, 0.5), 0.01892712407194565, 1e-13);
  EXPECT_NEAR(regularized_incomplete_beta(0.9, 0.5, 0.5), 0.7951672353008662, 1e-13);
  EXPECT_NEAR(regularized_incomplete_beta(0.7, 10, 3), 0.2528153478549999, 1e-13);
  EXPECT_NEAR(regularized_incomplete_beta(0.999, 500, 0.5), 0.317310447309558, 1e-11);
  EXPECT_TRUE(std::isnan(regularized_incomplete_beta(1.5, 1, 1)));
  EXPECT_TRUE(std::isnan(regularized_incomplete_beta(0.5, 0, 1)));
}

TEST(CompareStatisticsTest, StudentQuantilesMatchTheTables) {
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.975, 2), 4.303, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.975, 5), 2.571, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.975, 10), 2.228, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.975, 30), 2.042, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.975, 1e6), 1.960, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.975, k_inf), 1.959964, 1e-6);
  // scipy.stats.t.ppf, to 1e-6: also fractional df (Welch's) and far tails.
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706204736432095, 1e-6);
  EXPECT_NEAR(student_t_quantile(0.995, 2), 9.92484320091807, 1e-6);
  EXPECT_NEAR(student_t_quantile(0.975, 2.5), 3.5746548420118773, 1e-6);
  EXPECT_NEAR(student_t_quantile(0.995, 0.5), 4113.964590639511, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.025, 10), -2.2281388519649385, 1e-6);
  EXPECT_NEAR(student_t_upper_tail(2.0, 5), 0.05096973941492914, 1e-12);
  EXPECT_EQ(student_t_quantile(0.5, 3), 0.0);
  EXPECT_TRUE(std::isnan(student_t_quantile(1.2, 3)));
  EXPECT_TRUE(std::isnan(student_t_quantile(0.9, 0)));
}

// The three examples of Wikipedia's "Welch's t-test" article; t, df and p from scipy.
TEST(CompareStatisticsTest, WelchOnPublishedExamples) {
  struct Example {
    std::vector<double> a, b;
    double t, df, p;
  };
  std::vector<Example> examples{
      {{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4},
       {27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4},
       -2.455356398286006,
       24.988529290231416,
       0.021378001462866985},
      {{17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8},
       {21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8,
        20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8},
       -1.5654335235985037,
       9.904741248650831,
       0.14884169660532834},
      {{19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0},
       {28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7,
        23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3},
       -2.225512039969852,
       24.524634944257343,
       0.035484530830010325},
  };
  for (const auto& e : examples) {
    auto w = welch_test(estimated(e.a), estimated(e.b));
    ASSERT_TRUE(w.has_value());
    EXPECT_NEAR(w->t, e.t, 1e-9);
    EXPECT_NEAR(w->df, e.df, 1e-9);
    EXPECT_NEAR(w->p_value, e.p, 1e-9);
  }
}

TEST(CompareStatisticsTest, WelchNeedsTwoValuesAndSomeSpread) {
  MeanEstimate one{5, 0, 1}, flat{5, 0, 4}, spread{6, 1, 4};
  EXPECT_FALSE(welch_test(one, spread).has_value());
  EXPECT_FALSE(welch_test(flat, flat).has_value());
  EXPECT_TRUE(welch_test(flat, spread).has_value()) << "one side without spread is fine";
  EXPECT_FALSE(estimate(std::vector<double>{3}).has_value());
}

// Reference: the roots in rho of (m1 - rho m2)^2 / (v1 + rho^2 v2) = t^2, found by scipy's brentq
// (an independent way to the same interval), t at the Welch-Satterthwaite df taken at rho = m1/m2.
TEST(CompareStatisticsTest, FiellerIntervalOfARatio) {
  std::vector<double> base{10.2, 9.8, 10.5, 10.1, 9.9}, other{11.0, 11.4, 10.8, 11.3, 11.1};
  auto i = fieller_interval(estimated(other), estimated(base), 0.95);
  ASSERT_TRUE(i.has_value());
  EXPECT_NEAR(i->low, 1.0622102074656075, 1e-9);
  EXPECT_NEAR(i->high, 1.1415250983525338, 1e-9);
  EXPECT_TRUE(i->excludes(1.0));
}

TEST(CompareStatisticsTest, FiellerIsUnboundedWhenTheDenominatorCouldBeZero) {
  std::vector<double> noisy{-1, 2, 0.5, -0.8}, other{5, 6, 5.5, 6.2};
  auto i = fieller_interval(estimated(other), estimated(noisy), 0.95);
  ASSERT_TRUE(i.has_value());
  EXPECT_FALSE(i->bounded());
  EXPECT_FALSE(i->excludes(1.0));
}

TEST(CompareStatisticsTest, BenjaminiHochbergStepsUp) {
  // m = 4, q = 0.05: thresholds 0.0125, 0.025, 0.0375, 0.05. p_(2) = 0.03 misses its own
  // threshold, but p_(3) = 0.035 <= 0.0375, so the three smallest are rejected.
  std::vector<double> p{0.035, 0.001, 0.2, 0.03};
  EXPECT_EQ(benjamini_hochberg(p, 0.05), (std::vector<bool>{true, true, false, true}));
  // Thresholds .01 .02 .03 .04 .05 against sorted .01 .03 .04 .2 .5: only k = 1 holds. Unadjusted,
  // 0.03 and 0.04 would pass 0.05 too.
  std::vector<double> q{0.01, 0.04, 0.03, 0.2, 0.5};
  EXPECT_EQ(benjamini_hochberg(q, 0.05), (std::vector<bool>{true, false, false, false, false}));
  std::vector<double> r{0.02, 0.03, 0.04};  // thresholds 0.0167 0.0333 0.05: k = 3
  EXPECT_EQ(benjamini_hochberg(r, 0.05), (std::vector<bool>{true, true, true}));
  std::vector<double> s{0.02, 0.045, 0.9};  // 0.02 > 0.0167, 0.045 > 0.0333: none
  EXPECT_EQ(benjamini_hochberg(s, 0.05), (std::vector<bool>{false, false, false}));
}

TEST(CompareStatisticsTest, BenjaminiHochbergLeavesUntestedOut) {
  std::vector<double> p{k_nan, 0.02, k_nan, 0.04};  // m = 2: thresholds 0.025, 0.05
  EXPECT_EQ(benjamini_hochberg(p, 0.05), (std::vector<bool>{false, true, false, true}));
  EXPECT_TRUE(benjamini_hochberg({}, 0.05).empty());
}

std::vector<double> normal_values(std::mt19937_64& g, double mean, double sd, int n) {
  std::normal_distribution<double> d(mean, sd);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(d(g));
  return out;
}

TEST(CompareStatisticsTest, BootstrapFindsAWellSeparatedRatio) {
  std::mt19937_64 g(7);
  auto base = normal_values(g, 100, 2, 20);
  auto other = normal_values(g, 120, 2, 20);
  auto b = bootstrap_ratio(base, other, MeanKind::arithmetic, {});
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->resamples, k_default_resamples);
  EXPECT_TRUE(b->interval.contains(1.2)) << b->interval.low << " " << b->interval.high;
  EXPECT_TRUE(b->interval.excludes(1.0));
  EXPECT_LT(b->interval.high - b->interval.low, 0.05);
  EXPECT_NEAR(b->p_value, 1.0 / 2001.0, 1e-12) << "no resampled ratio on the far side of 1";
}

TEST(CompareStatisticsTest, BootstrapIsReproducibleAndSeeded) {
  std::vector<double> base{10, 11, 9, 10.5, 9.5}, other{10.2, 11.5, 9.8, 10.1, 10.9};
  BootstrapOptions o;
  auto first = bootstrap_ratio(base, other, MeanKind::arithmetic, o);
  auto again = bootstrap_ratio(base, other, MeanKind::arithmetic, o);
  ASSERT_TRUE(first && again);
  EXPECT_EQ(first->interval, again->interval);
  EXPECT_EQ(first->p_value, again->p_value);
  o.seed = 1;
  auto other_seed = bootstrap_ratio(base, other, MeanKind::arithmetic, o);
  EXPECT_NE(first->interval, other_seed->interval);
  EXPECT_NE(metric_seed(1, "a/x"), metric_seed(1, "a/y"));
}

TEST(CompareStatisticsTest, BootstrapIsTotal) {
  std::vector<double> one{1}, two{1, 2}, zeros{0, 0, 0}, some{1, 2, 3};
  EXPECT_FALSE(bootstrap_ratio(one, two, MeanKind::arithmetic, {}).has_value());
  EXPECT_FALSE(bootstrap_ratio(zeros, zeros, MeanKind::arithmetic, {}).has_value()) << "0 / 0 everywhere";
  auto b = bootstrap_ratio(zeros, some, MeanKind::arithmetic, {});
  ASSERT_TRUE(b.has_value());
  EXPECT_FALSE(b->interval.bounded());
  std::vector<double> equal{3, 3, 3};
  auto same = bootstrap_ratio(equal, equal, MeanKind::arithmetic, {});
  EXPECT_EQ(same->interval, (Interval{1, 1}));
  EXPECT_EQ(same->p_value, 1.0);
}

}  // namespace
}  // namespace numalab::compare
