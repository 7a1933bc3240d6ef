// Blocking by slot: the within-slot ratios of two kernels whose runs ran side by side, against
// values computed independently (Debian's python3-scipy 1.10: scipy.stats.ttest_rel on the logs,
// scipy.stats.t.ppf) and simulated experiments with a fixed seed.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "compare/blocked_ratio.hpp"
#include "compare/blocking.hpp"
#include "compare/kernel_comparison.hpp"

namespace numalab::compare {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

SlotPairs pairs(std::vector<double> base, std::vector<double> other) {
  std::vector<int> slots;
  for (std::size_t i = 0; i < base.size(); ++i) slots.push_back(static_cast<int>(i) + 1);
  return pair_by_slot(base, slots, other, slots);
}

TEST(CompareBlockedTest, PairedTestOnLogRatiosMatchesScipy) {
  // scipy.stats.ttest_rel(np.log(o), np.log(b)).pvalue; the interval exp(mean -+ t se), t.ppf(0.975, 4).
  auto b = blocked_ratio(pairs({100, 130, 80, 150, 90}, {104, 133, 85, 155, 96}), 0.95);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->slots, 5u);
  EXPECT_NEAR(b->ratio, 1.0449799214819249, 1e-12);
  EXPECT_NEAR(*b->p_value, 0.005446357255295927, 1e-9);
  EXPECT_NEAR(b->ratio_interval->low, 1.0218878164691898, 1e-9);
  EXPECT_NEAR(b->ratio_interval->high, 1.068593850226507, 1e-9);
  EXPECT_NEAR(*b->log_sd, 0.01799678031759392, 1e-12);
  EXPECT_NEAR(*b->ratio_cv, std::sqrt(std::expm1(0.01799678031759392 * 0.01799678031759392)), 1e-12);
}

TEST(CompareBlockedTest, PairsBySlotNotByPosition) {
  const std::vector<double> base{10, 20, 30}, other{33, 11, 22};
  const std::vector<int> base_slots{1, 2, 3}, other_slots{3, 1, 2};
  auto p = pair_by_slot(base, base_slots, other, other_slots);
  ASSERT_EQ(p.baseline.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_NEAR(p.other[i] / p.baseline[i], 1.1, 1e-12);
  EXPECT_EQ(p.left_out, 0u);
}

TEST(CompareBlockedTest, SlotsWithoutAPairAreLeftOutAndCounted) {
  // Slot 2: absent on the other kernel; slot 3: a counter at 0; slot 4: only the baseline ran;
  // slot 5: absent on both (nothing was left out there); slot -1: unknown.
  const std::vector<double> base{10, 20, 0, 40, k_nan, 60, 70};
  const std::vector<int> base_slots{1, 2, 3, 4, 5, -1, 6};
  const std::vector<double> other{11, k_nan, 5, k_nan, 66, 77};
  const std::vector<int> other_slots{1, 2, 3, 5, -1, 6};
  auto p = pair_by_slot(base, base_slots, other, other_slots);
  EXPECT_EQ(p.baseline, (std::vector<double>{10, 70}));
  EXPECT_EQ(p.other, (std::vector<double>{11, 77}));
  EXPECT_EQ(p.left_out, 3u);
}

TEST(CompareBlockedTest, ExactCasesAndASingleSlot) {
  auto same = blocked_ratio(pairs({4, 7, 9}, {4, 7, 9}), 0.95);
  ASSERT_TRUE(same);
  EXPECT_EQ(*same->p_value, 1.0);
  EXPECT_EQ(*same->ratio_interval, (Interval{1, 1}));
  auto doubled = blocked_ratio(pairs({1, 2, 4}, {2, 4, 8}), 0.95);
  EXPECT_EQ(*doubled->p_value, 0.0);
  EXPECT_NEAR(doubled->ratio, 2.0, 1e-12);
  auto one = blocked_ratio(pairs({10}, {12}), 0.95);
  ASSERT_TRUE(one);
  EXPECT_NEAR(one->ratio, 1.2, 1e-12);
  EXPECT_FALSE(one->ratio_interval || one->p_value || one->log_sd);
  EXPECT_FALSE(blocked_ratio(pairs({}, {}), 0.95));
}

TEST(CompareBlockedTest, ARateAndItsTimeGiveTheSameTest) {
  const std::vector<double> time_b{2.0, 2.6, 1.7, 3.1}, time_o{2.1, 2.8, 1.8, 3.2};
  std::vector<double> rate_b, rate_o;
  for (double t : time_b) rate_b.push_back(100 / t);
  for (double t : time_o) rate_o.push_back(100 / t);
  auto time = blocked_ratio(pairs(time_b, time_o), 0.95);
  auto rate = blocked_ratio(pairs(rate_b, rate_o), 0.95);
  EXPECT_NEAR(*time->p_value, *rate->p_value, 1e-12);
  EXPECT_NEAR(rate->ratio, 1 / time->ratio, 1e-12);
  EXPECT_NEAR(rate->ratio_interval->low, 1 / time->ratio_interval->high, 1e-12);
}

TEST(CompareBlockedTest, AutoBlocksOnlyRunsThatRanSideBySide) {
  EXPECT_EQ(resolve_blocking(std::nullopt, true), Blocking::slot);
  EXPECT_EQ(resolve_blocking(std::nullopt, false), Blocking::none);
  EXPECT_EQ(resolve_blocking(Blocking::slot, false), Blocking::slot);
  EXPECT_EQ(resolve_blocking(Blocking::none, true), Blocking::none);
  EXPECT_EQ(blocking_from_string("slot"), Blocking::slot);
  EXPECT_EQ(blocking_from_string("auto"), std::nullopt);
  EXPECT_EQ(interval_method_from_string("paired"), std::nullopt) << "paired comes with blocking";
}

// Five slots whose host load multiplies both kernels' values alike (up to 1.6x), plus 1 % of noise
// of each boot's own.
struct SlotExperiment {
  KernelSamples baseline{"base", {}}, other{"patched", {}};
};

SlotExperiment slot_experiment(double change) {
  const double slot_load[] = {1.0, 1.3, 0.8, 1.6, 0.9};
  const double own_b[] = {1.004, 0.991, 1.012, 0.996, 1.003};
  const double own_o[] = {0.993, 1.008, 0.998, 1.011, 0.990};
  SlotExperiment e;
  MetricSamples b{{"numa02", "elapsed_s"}, "s", Better::lower, {}}, o = b;
  for (int i = 0; i < 5; ++i) {
    b.values.push_back(100 * slot_load[i] * own_b[i]);
    o.values.push_back(100 * change * slot_load[i] * own_o[i]);
    e.baseline.slots.push_back(i + 1);
    e.other.slots.push_back(i + 1);
  }
  e.baseline.metrics = {b};
  e.other.metrics = {o};
  return e;
}

TEST(CompareBlockedTest, AnOffsetSharedWithinEachSlotIsNoDifference) {
  auto e = slot_experiment(1.0);
  ComparisonOptions slot;
  slot.blocking = Blocking::slot;
  const auto blocked = compare_kernels(e.baseline, e.other, slot).metrics.at(0);
  EXPECT_EQ(blocked.blocking, Blocking::slot);
  EXPECT_EQ(blocked.method, IntervalMethod::paired);
  EXPECT_FALSE(blocked.significant);
  EXPECT_GT(*blocked.p_value, 0.05);
  EXPECT_GT(blocked.ratio_interval->low, 0.97);
  EXPECT_LT(blocked.ratio_interval->high, 1.03);
  EXPECT_LT(*blocked.noise.blocked_ratio_cv, 0.02);

  ComparisonOptions none;
  none.blocking = Blocking::none;
  const auto unblocked = compare_kernels(e.baseline, e.other, none).metrics.at(0);
  EXPECT_EQ(unblocked.blocking, Blocking::none);
  EXPECT_EQ(unblocked.method, IntervalMethod::welch);
  EXPECT_FALSE(unblocked.significant);
  EXPECT_LT(unblocked.ratio_interval->low, 0.75) << "the slots' load makes the unblocked interval wide";
  EXPECT_GT(unblocked.ratio_interval->high, 1.3);
  EXPECT_GT(*unblocked.noise.ratio_cv, 0.3);
  ASSERT_TRUE(unblocked.blocked) << "the blocked analysis is made either way";
  EXPECT_NEAR(unblocked.blocked->ratio, *blocked.ratio, 1e-12);
  EXPECT_EQ(*blocked.unblocked.method, IntervalMethod::welch) << "and the unblocked one is kept";
  EXPECT_EQ(*blocked.unblocked.ratio_interval, *unblocked.ratio_interval);
}

TEST(CompareBlockedTest, ARealDifferenceIsFoundUnderBlocking) {
  auto e = slot_experiment(1.05);  // 5 % slower: a regression, lower is better
  ComparisonOptions slot;
  slot.side_by_side = true;  // auto: slot
  const auto blocked = compare_kernels(e.baseline, e.other, slot).metrics.at(0);
  EXPECT_EQ(blocked.blocking, Blocking::slot);
  EXPECT_TRUE(blocked.significant);
  EXPECT_EQ(blocked.change, Change::regression);
  EXPECT_NEAR(*blocked.ratio, 1.05, 0.01);
  EXPECT_NEAR(*blocked.percent_better, -5.0, 1.0);
  EXPECT_TRUE(blocked.ratio_interval->excludes(1.0));
  EXPECT_LT(*blocked.noise.boots_needed_blocked, *blocked.noise.boots_needed);

  const auto unblocked = compare_kernels(e.baseline, e.other, {}).metrics.at(0);
  EXPECT_EQ(unblocked.blocking, Blocking::none) << "a sequential compare is not blocked under auto";
  EXPECT_FALSE(unblocked.significant);
}

TEST(CompareBlockedTest, FewerThanTwoSlotsKeepTheUnblockedVerdict) {
  auto e = slot_experiment(1.0);
  e.other.slots = {};  // the other kernel's slots are unknown
  ComparisonOptions slot;
  slot.blocking = Blocking::slot;
  const auto m = compare_kernels(e.baseline, e.other, slot).metrics.at(0);
  EXPECT_EQ(m.blocking, Blocking::none);
  EXPECT_EQ(m.method, IntervalMethod::welch);
  EXPECT_FALSE(m.blocked);
  EXPECT_NE(m.note.find("the verdict is the unblocked one"), std::string::npos) << m.note;
}

// A/A: both kernels the same distribution, lognormal with a 20 % CV of the slot (shared) and 5 %
// of each boot. At n = 5 slots, 2000 comparisons: the blocked test rejects at the nominal 5 %
// (its standard error here is 0.49 %: the bounds are 3 of them).
TEST(CompareBlockedTest, AaFalsePositivesStayAtTheNominalRate) {
  std::mt19937_64 gen(20261122);
  std::normal_distribution<double> slot_noise(0, 0.2), boot_noise(0, 0.05);
  constexpr int k_trials = 2000, k_slots = 5;
  int rejected = 0;
  for (int trial = 0; trial < k_trials; ++trial) {
    std::vector<double> b, o;
    for (int s = 0; s < k_slots; ++s) {
      const double slot = slot_noise(gen);
      b.push_back(1000 * std::exp(slot + boot_noise(gen)));
      o.push_back(1000 * std::exp(slot + boot_noise(gen)));
    }
    auto r = blocked_ratio(pairs(b, o), 0.95);
    ASSERT_TRUE(r && r->p_value);
    rejected += *r->p_value < 0.05;
    EXPECT_EQ(*r->p_value < 0.05, r->ratio_interval->excludes(1.0)) << "interval and test agree";
  }
  const double rate = static_cast<double>(rejected) / k_trials;
  EXPECT_GE(rate, 0.035);
  EXPECT_LE(rate, 0.065);
}

}  // namespace
}  // namespace numalab::compare
