#pragma once
// The knobs of a comparison, with the defaults the report states.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "compare/benjamini_hochberg.hpp"
#include "compare/bootstrap.hpp"
#include "compare/interval_method.hpp"

namespace numalab::compare {

struct ComparisonOptions {
  std::optional<IntervalMethod> method;  // nullopt: recommend_method per metric
  double level = 0.95;                   // of the ratio's confidence interval; outside (0, 1): 0.95
  double fdr_q = k_default_fdr_q;        // Benjamini-Hochberg's false discovery rate; outside (0, 1]: 0.05
  std::size_t bootstrap_resamples = k_default_resamples;
  std::uint64_t seed = k_default_seed;  // mixed with each metric's name (metric_seed)
};

}  // namespace numalab::compare
