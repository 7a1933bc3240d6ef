#pragma once
// One kernel against the baseline over all the metrics of a compare run, with the significance
// rule applied across them.
//
// Significance. A change is significant when both
//   1. its confidence interval of the ratio excludes 1 (no change), and
//   2. its p-value is rejected by Benjamini-Hochberg at q (default 0.05) over the p-values of every
//      metric tested in this comparison (metrics not tested do not count).
// The second keeps the share of false alarms among the flagged metrics near q however many metrics
// a lab has. The exact cases of metric_comparison.hpp follow from the rule: no variation and equal
// means (p = 1) is never significant; no variation and different means (p = 0, interval [r, r])
// always is.

#include <string>
#include <vector>

#include "compare/metric_comparison.hpp"
#include "compare/workload_summary.hpp"

namespace numalab::compare {

// One metric on one kernel over its boots: one value per boot, NaN where the counter was absent.
struct MetricSamples {
  MetricKey key;
  std::string unit;
  Better better = Better::none;
  std::vector<double> values;
};

struct KernelSamples {
  std::string kernel;
  std::vector<MetricSamples> metrics;
  // The slot (repetition) of each boot, parallel to every metric's values; empty: unknown (no
  // blocked analysis).
  std::vector<int> slots = {};
};

struct KernelComparison {
  std::string baseline;
  std::string other;
  std::vector<MetricComparison> metrics;
  std::vector<WorkloadSummary> workloads;
  double fdr_q = k_default_fdr_q;
  Blocking blocking = Blocking::none;  // ComparisonOptions::blocking_used()

  bool aa() const { return baseline == other; }  // a kernel against itself
};

// Pairs the metrics by (workload, name): the baseline's order, then those only the other kernel
// has. A metric one kernel lacks gets no values there (absent). Repeated keys pool their values.
// Unit and direction come from the baseline, or from the other kernel when the baseline lacks it.
// Each value keeps its kernel's slot (-1 when the kernel's slots are unknown).
std::vector<MetricInput> pair_metrics(const KernelSamples& baseline, const KernelSamples& other);

// Whether a metric counts in the Benjamini-Hochberg correction: it has a p-value, and it is not
// the same value in every boot of both kernels (a setting such as threads = 4, or a counter that
// stayed 0). Such a metric's smallest attainable p-value is 1: it can never be flagged, and
// counting it would only raise the bar for the others (Tarone's refinement for tests that cannot
// reach significance).
bool in_correction_family(const MetricComparison& m);

// Benjamini-Hochberg over `metrics`, then significant and change for each (the rule above).
// A q outside (0, 1] is taken as k_default_fdr_q.
void apply_significance(std::vector<MetricComparison>& metrics, double fdr_q);

KernelComparison compare_kernels(const KernelSamples& baseline, const KernelSamples& other,
                                 const ComparisonOptions& options);

}  // namespace numalab::compare
