#pragma once
// One metric, one kernel against the baseline: both kernels' summaries, the ratio of the means, its
// confidence interval and a p-value. Significance needs all the metrics of the comparison at once
// (Benjamini-Hochberg): kernel_comparison.hpp sets it.
//
// Rules, in the order they apply:
// - absent on a side (no finite value): not compared, the note says which side.
// - the ratio other / baseline is defined only when the baseline's mean is > 0 (a mean of 0 would
//   divide by 0; a negative one makes "x % higher" meaningless). Otherwise not compared.
// - a side with one value: the ratio, but no interval and no p-value.
// - no variation on either side (every value of each kernel equal): equal means are no change
//   (interval [1, 1], p = 1); different means are a change beyond doubt (interval [r, r], p = 0).
// - otherwise the method asked for, or recommend_method's.
// Rates (mean_kind harmonic): the ratio of harmonic means; Welch and Fieller run on the reciprocals
// 1/x, because H(other) / H(baseline) = mean(1/baseline) / mean(1/other).
//
// Blocking (blocking.hpp). When the boots carry their slots, the blocked analysis (the within-slot
// ratios, blocked_ratio.hpp) is made too, and both are kept (unblocked, blocked). With blocking by
// slot, a metric compared by the rules above whose blocked analysis has at least 2 slots takes its
// verdict from it: ratio (the geometric mean of the within-slot ratios), percent_better, interval,
// p, method "paired", and so the Benjamini-Hochberg correction and the gain or regression. With
// fewer slots the verdict stays the unblocked one and the note says so.

#include <optional>
#include <string>
#include <vector>

#include "compare/blocked_ratio.hpp"
#include "compare/comparison_options.hpp"
#include "compare/direction.hpp"
#include "compare/interval.hpp"
#include "compare/metric_noise.hpp"
#include "compare/sample_summary.hpp"

namespace numalab::compare {

struct MetricKey {
  std::string workload;
  std::string name;

  auto operator<=>(const MetricKey&) const = default;
  bool operator==(const MetricKey&) const = default;
};

std::string to_string(const MetricKey& k);  // "workload/name"

// One metric's values on both kernels, one per boot; NaN = absent in that boot.
struct MetricInput {
  MetricKey key;
  std::string unit;
  Better better = Better::none;
  std::vector<double> baseline;
  std::vector<double> other;
  // The slot (repetition) of each value, parallel to baseline and other; empty or negative:
  // unknown, and then no blocked analysis.
  std::vector<int> baseline_slots = {}, other_slots = {};
};

// One estimate of the ratio other / baseline with its interval and test.
struct RatioEstimate {
  std::optional<double> ratio;
  std::optional<IntervalMethod> method;  // nullopt: no interval was computed
  std::string method_reason;
  std::optional<Interval> ratio_interval;
  std::optional<double> p_value;
};

struct MetricComparison {
  MetricKey key;
  std::string unit;
  Better better = Better::none;
  MeanKind mean_kind = MeanKind::arithmetic;  // used on both sides
  SampleSummary baseline, other;

  std::optional<double> ratio;           // mean(other) / mean(baseline); nullopt: see note
  std::optional<double> percent_better;  // direction.hpp's sign convention
  std::optional<IntervalMethod> method;  // nullopt: no interval was computed
  std::string method_reason;             // why this method (or why none)
  std::optional<Interval> ratio_interval;
  std::optional<double> p_value;  // two-sided; nullopt: no test (does not count in Benjamini-Hochberg)

  Blocking blocking = Blocking::none;   // which analysis gave ratio .. p_value above (the verdict)
  RatioEstimate unblocked;              // the boots as independent samples: ratio of means, method
  std::optional<BlockedRatio> blocked;  // within-slot ratios; nullopt: no slot had both kernels
  MetricNoise noise;

  // Set over the whole comparison (apply_significance in kernel_comparison.hpp).
  bool interval_excludes_one = false;
  bool fdr_rejected = false;
  bool significant = false;  // interval_excludes_one && fdr_rejected
  Change change = Change::not_compared;

  std::string note;  // why something is missing, or anything odd (values left out), in words
};

MetricComparison compare_metric(const MetricInput& input, const ComparisonOptions& asked);

}  // namespace numalab::compare
