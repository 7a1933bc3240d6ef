#pragma once
// How noisy one metric was in a comparison, with and without blocking by slot, and the boots per
// kernel a change of the planned size would need at that noise (sample_size.hpp).
//
// Unblocked, each kernel's coefficient of variation over its boots, and the CV of the ratio of
// two boots of different slots, about sqrt(cv_baseline^2 + cv_other^2). Blocked, the CV of the
// ratio of two boots in one slot (blocked_ratio.hpp): what is left when the slot's share of the
// noise cancels. Blocking pays when the blocked CV is well below the unblocked one.

#include <cstddef>
#include <optional>

#include "compare/blocked_ratio.hpp"
#include "compare/sample_size.hpp"
#include "compare/sample_summary.hpp"

namespace numalab::compare {

struct MetricNoise {
  std::optional<double> baseline_cv, other_cv;      // SampleSummary::cv of each kernel
  std::optional<double> ratio_cv;                   // unblocked: sqrt(cv_baseline^2 + cv_other^2)
  std::optional<double> blocked_ratio_cv;           // BlockedRatio::ratio_cv; nullopt: fewer than 2 slots
  std::optional<std::size_t> boots_needed;          // per kernel, unblocked; nullopt: no CV, or > k_max_boots
  std::optional<std::size_t> boots_needed_blocked;  // slots, blocked
};

MetricNoise metric_noise(const SampleSummary& baseline, const SampleSummary& other,
                         const std::optional<BlockedRatio>& blocked, const PowerGoal& goal);

}  // namespace numalab::compare
