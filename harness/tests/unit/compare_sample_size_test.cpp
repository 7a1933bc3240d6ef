// The boots per kernel a change needs, against values computed independently: Debian's
// python3-scipy 1.10, the power of the two-sided t test as
//   c = t.ppf(1 - alpha/2, df); nct.sf(c, df, lam) + nct.cdf(-c, df, lam)
// and n the smallest integer >= 2 reaching the power (for equal sds the same as statsmodels'
// TTestIndPower / TTestPower rounded up; Cohen's tables give 64, 26 and 393 per group at d = 0.5,
// 0.8 and 0.2, statsmodels 63.77, 25.52 and 393.4).
#include <gtest/gtest.h>

#include <cmath>

#include "compare/log_scale.hpp"
#include "compare/sample_size.hpp"

namespace numalab::compare {
namespace {

TEST(CompareSampleSizeTest, NoncentralTMatchesScipy) {
  EXPECT_NEAR(noncentral_t_upper_tail(2.0, 3, 1.5), 0.40032373162910706, 1e-8);
  EXPECT_NEAR(noncentral_t_upper_tail(-1.0, 7.5, 0.5), 0.9226320464052551, 1e-8);
  EXPECT_NEAR(noncentral_t_upper_tail(2.1, 1, 3.0), 0.8030232150577602, 1e-8);
  EXPECT_NEAR(t_test_power(2.5, 10, 0.05), 0.6165347649629817, 1e-8);
  EXPECT_NEAR(t_test_power(1.0, 4, 0.05), 0.12224915207331208, 1e-8);
  EXPECT_NEAR(t_test_power(3.0, 30.5, 0.05), 0.8275120307706508, 1e-8);
  EXPECT_NEAR(t_test_power(0, 9, 0.05), 0.05, 1e-9) << "no change: the power is alpha";
  EXPECT_TRUE(std::isnan(t_test_power(1, 0, 0.05)));
}

// effect size d = delta / sd; an sd of ln(1.1) / d makes a 10 % change an effect of d.
double sd_for_effect(double d) { return std::log1p(0.10) / d; }

TEST(CompareSampleSizeTest, TwoIndependentSamplesMatchTheTables) {
  const PowerGoal goal;  // 10 %, 80 %, alpha 0.05
  const std::pair<double, std::size_t> expected[] = {{0.2, 394}, {0.5, 64}, {0.8, 26}, {1.0, 17}, {2.0, 6}};
  for (const auto& [d, n] : expected)
    EXPECT_EQ(boots_needed_unblocked(sd_for_effect(d), sd_for_effect(d), goal), n) << "d = " << d;
}

TEST(CompareSampleSizeTest, PairedSlotsMatchTheTables) {
  const PowerGoal goal;
  const std::pair<double, std::size_t> expected[] = {{0.2, 199}, {0.5, 34}, {0.8, 15}, {1.0, 10}, {2.0, 5}};
  for (const auto& [d, n] : expected)
    EXPECT_EQ(boots_needed_blocked(sd_for_effect(d), goal), n) << "d = " << d;
}

TEST(CompareSampleSizeTest, UnequalNoiseUsesWelchsDegreesOfFreedom) {
  EXPECT_EQ(boots_needed_unblocked(0.1, 0.2, {}), 45u);
  EXPECT_EQ(boots_needed_unblocked(0.05, 0.05, {}), 6u);
  EXPECT_EQ(boots_needed_unblocked(0.3, 0.1, {0.2, 0.9, 0.05}), 34u);
}

TEST(CompareSampleSizeTest, TheIssuesNumbers) {
  // A 10 % change at a CV of 20 %, and at 5 % (the normal approximation says 68 and 5).
  EXPECT_EQ(boots_needed_unblocked(log_sd_of_cv(0.2), log_sd_of_cv(0.2), {}), 69u);
  EXPECT_EQ(boots_needed_unblocked(log_sd_of_cv(0.05), log_sd_of_cv(0.05), {}), 6u);
}

TEST(CompareSampleSizeTest, EdgesAreTotal) {
  EXPECT_EQ(boots_needed_unblocked(0, 0, {}), 2u) << "no noise: the fewest boots a test has";
  EXPECT_EQ(boots_needed_blocked(0, {}), 2u);
  EXPECT_FALSE(boots_needed_unblocked(NAN, 0.1, {}));
  EXPECT_FALSE(boots_needed_blocked(-1, {}));
  EXPECT_FALSE(boots_needed_blocked(0.1, {0, 0.8, 0.05}));
  EXPECT_FALSE(boots_needed_blocked(0.1, {0.1, 1.0, 0.05}));
  EXPECT_FALSE(boots_needed_blocked(50, {})) << "more than k_max_boots";
  EXPECT_NEAR(cv_of_log_sd(log_sd_of_cv(0.3)), 0.3, 1e-12);
}

}  // namespace
}  // namespace numalab::compare
