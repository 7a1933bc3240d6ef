#pragma once
// The knobs of a comparison, with the defaults the report states.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "compare/benjamini_hochberg.hpp"
#include "compare/blocking.hpp"
#include "compare/bootstrap.hpp"
#include "compare/interval_method.hpp"
#include "compare/sample_size.hpp"

namespace numalab::compare {

struct ComparisonOptions {
  std::optional<IntervalMethod> method;  // nullopt: recommend_method per metric
  double level = 0.95;                   // of the ratio's confidence interval; outside (0, 1): 0.95
  double fdr_q = k_default_fdr_q;        // Benjamini-Hochberg's false discovery rate; outside (0, 1]: 0.05
  std::size_t bootstrap_resamples = k_default_resamples;
  std::uint64_t seed = k_default_seed;  // mixed with each metric's name (metric_seed)
  // Where the verdicts come from (blocking.hpp): nullopt is auto, slot when side_by_side.
  std::optional<Blocking> blocking;
  bool side_by_side = false;  // the runs of each slot ran at the same time (compare --jobs >= kernels)
  PowerGoal power;            // the change each metric's sample size is given for

  Blocking blocking_used() const { return resolve_blocking(blocking, side_by_side); }
};

}  // namespace numalab::compare
