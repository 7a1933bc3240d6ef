#pragma once
// The blocked comparison of one metric: kernel `other` against the baseline within each slot (one
// repetition of the plan, whose runs ran side by side; blocking.hpp), analysed on the log scale.
//
// For each slot in which both kernels have a value, d = ln(other / baseline). Over the n slots:
//   ratio      exp(mean d): the geometric mean of the within-slot ratios;
//   interval   exp(mean d -+ t s_d / sqrt(n)), t Student's quantile at (1 + level) / 2, n - 1 df;
//   p          two-sided, of t = mean d / (s_d / sqrt(n)) with n - 1 df (the paired t test).
// Whatever a slot does to both kernels alike (the host's load, its drift, a slower boot of the
// whole slot) multiplies both values and cancels in d. The test is exact when d is normal, which a
// multiplicative slot effect on lognormal values gives; simulated A/A false-positive rates are in
// the README.
//
// Rates need nothing of their own: ln(rate_o / rate_b) = -ln(time_o / time_b) for the same work,
// so the paired test gives the same p whether a metric is reported as a rate or as a time per
// unit of work, and the ratio is of the rates (other / baseline), as the unblocked path's ratio
// of harmonic means is. Only values > 0 have a logarithm: a slot with a value <= 0 (a counter at
// 0) is left out and counted, as is a slot with a value on one kernel only.
//
// Exact cases, as in metric_comparison.hpp: one slot gives a ratio and no interval; when every d is
// the same, equal values are no change (interval [1, 1], p = 1) and a constant ratio r is a change
// beyond doubt (interval [r, r], p = 0).

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "compare/interval.hpp"

namespace numalab::compare {

// One metric's values on two kernels paired by slot: pair i is baseline[i] and other[i].
struct SlotPairs {
  std::vector<double> baseline, other;
  // Slots of either kernel that gave no pair: a value on one kernel only (or NaN on one), a value
  // <= 0 or infinite, or more than one value of a kernel in the slot.
  std::size_t left_out = 0;
};

// values[i] was measured in slot slots[i] (the repetition, 1-based); a negative slot is unknown
// and never paired. Spans of different lengths pair what they can: a value without a slot is
// unknown.
SlotPairs pair_by_slot(std::span<const double> baseline, std::span<const int> baseline_slots,
                       std::span<const double> other, std::span<const int> other_slots);

struct BlockedRatio {
  std::size_t slots = 0;                   // pairs analysed
  std::size_t slots_left_out = 0;          // SlotPairs::left_out
  double ratio = 1;                        // exp(mean d)
  std::optional<Interval> ratio_interval;  // nullopt with one slot
  std::optional<double> p_value;           // nullopt with one slot
  std::optional<double> log_sd;            // s_d, the sd of the within-slot log ratios; nullopt with one slot
  // s_d as a coefficient of variation (log_scale.hpp): the noise of the ratio of two boots run side
  // by side, to set beside the unblocked sqrt(cv_baseline^2 + cv_other^2).
  std::optional<double> ratio_cv;
};

// nullopt when there is no pair, or a sum overflows. A level outside (0, 1) is 0.95.
std::optional<BlockedRatio> blocked_ratio(const SlotPairs& pairs, double level);

}  // namespace numalab::compare
