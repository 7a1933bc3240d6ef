#include "compare/kernel_comparison.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "compare/benjamini_hochberg.hpp"

namespace numalab::compare {

std::vector<MetricInput> pair_metrics(const KernelSamples& baseline, const KernelSamples& other) {
  std::vector<MetricInput> out;
  std::map<MetricKey, std::size_t> index;
  auto entry = [&](const MetricSamples& m) -> MetricInput& {
    auto [it, added] = index.try_emplace(m.key, out.size());
    if (added) {
      MetricInput input;
      input.key = m.key;
      input.unit = m.unit;
      input.better = m.better;
      out.push_back(std::move(input));
    } else if (out[it->second].unit.empty()) {
      out[it->second].unit = m.unit;
    }
    return out[it->second];
  };
  // The slots of a metric's values: its kernel's, when they say one per value.
  auto append_slots = [](std::vector<int>& to, const KernelSamples& k, const MetricSamples& m) {
    if (k.slots.size() == m.values.size())
      to.insert(to.end(), k.slots.begin(), k.slots.end());
    else
      to.insert(to.end(), m.values.size(), -1);
  };
  for (const auto& m : baseline.metrics) {
    auto& e = entry(m);
    e.baseline.insert(e.baseline.end(), m.values.begin(), m.values.end());
    append_slots(e.baseline_slots, baseline, m);
  }
  for (const auto& m : other.metrics) {
    auto& e = entry(m);
    e.other.insert(e.other.end(), m.values.begin(), m.values.end());
    append_slots(e.other_slots, other, m);
  }
  return out;
}

bool in_correction_family(const MetricComparison& m) {
  if (!m.p_value) return false;
  const bool identical =
      *m.p_value == 1.0 && m.ratio_interval && m.ratio_interval->low == 1.0 && m.ratio_interval->high == 1.0;
  return !identical;
}

void apply_significance(std::vector<MetricComparison>& metrics, double fdr_q) {
  if (!(fdr_q > 0 && fdr_q <= 1)) fdr_q = k_default_fdr_q;
  std::vector<double> p_values;
  p_values.reserve(metrics.size());
  for (const auto& m : metrics)
    p_values.push_back(in_correction_family(m) ? *m.p_value : std::numeric_limits<double>::quiet_NaN());
  auto rejected = benjamini_hochberg(p_values, fdr_q);
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    auto& m = metrics[i];
    m.interval_excludes_one = m.ratio_interval && m.ratio_interval->excludes(1.0);
    m.fdr_rejected = rejected[i];
    m.significant = m.ratio && m.interval_excludes_one && m.fdr_rejected;
    m.change =
        classify_change(m.significant, m.ratio.value_or(std::numeric_limits<double>::quiet_NaN()), m.better);
  }
}

KernelComparison compare_kernels(const KernelSamples& baseline, const KernelSamples& other,
                                 const ComparisonOptions& options) {
  KernelComparison out;
  out.baseline = baseline.kernel;
  out.other = other.kernel;
  out.fdr_q = options.fdr_q > 0 && options.fdr_q <= 1 ? options.fdr_q : k_default_fdr_q;
  out.blocking = options.blocking_used();
  for (const auto& input : pair_metrics(baseline, other))
    out.metrics.push_back(compare_metric(input, options));
  apply_significance(out.metrics, options.fdr_q);
  out.workloads = summarize_workloads(out.metrics);
  return out;
}

}  // namespace numalab::compare
