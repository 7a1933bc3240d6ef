#include "compare/metric_noise.hpp"

#include <cmath>

#include "compare/log_scale.hpp"

namespace numalab::compare {

MetricNoise metric_noise(const SampleSummary& baseline, const SampleSummary& other,
                         const std::optional<BlockedRatio>& blocked, const PowerGoal& goal) {
  MetricNoise n;
  n.baseline_cv = baseline.cv;
  n.other_cv = other.cv;
  if (baseline.cv && other.cv) {
    n.ratio_cv = std::hypot(*baseline.cv, *other.cv);
    n.boots_needed = boots_needed_unblocked(log_sd_of_cv(*baseline.cv), log_sd_of_cv(*other.cv), goal);
  }
  if (blocked && blocked->log_sd) {
    n.blocked_ratio_cv = blocked->ratio_cv;
    n.boots_needed_blocked = boots_needed_blocked(*blocked->log_sd, goal);
  }
  return n;
}

}  // namespace numalab::compare
