#pragma once
// One number per workload: the geometric mean of its metrics' ratios, each oriented so that > 1 is
// better (direction.hpp), over the metrics that have a direction and a ratio > 0. Metrics with
// better = none, absent ones and those without a ratio are left out (and counted).

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "compare/metric_comparison.hpp"

namespace numalab::compare {

struct WorkloadSummary {
  std::string workload;
  std::optional<double> geomean_ratio;  // oriented, > 1 better; nullopt when no metric counted
  std::size_t metrics_counted = 0;
  std::size_t metrics_left_out = 0;
  std::size_t gains = 0, regressions = 0, changed = 0;  // significant changes among all its metrics
};

// One summary per workload, in the order the workloads first appear.
std::vector<WorkloadSummary> summarize_workloads(std::span<const MetricComparison> metrics);

}  // namespace numalab::compare
