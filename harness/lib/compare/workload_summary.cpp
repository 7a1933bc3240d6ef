#include "compare/workload_summary.hpp"

#include <cmath>
#include <utility>

namespace numalab::compare {

namespace {

WorkloadSummary& summary_for(std::vector<WorkloadSummary>& all, const std::string& workload) {
  for (auto& s : all)
    if (s.workload == workload) return s;
  WorkloadSummary s;
  s.workload = workload;
  all.push_back(std::move(s));
  return all.back();
}

}  // namespace

std::vector<WorkloadSummary> summarize_workloads(std::span<const MetricComparison> metrics) {
  std::vector<WorkloadSummary> out;
  std::vector<double> log_sums;
  for (const auto& m : metrics) {
    auto& s = summary_for(out, m.key.workload);
    log_sums.resize(out.size(), 0.0);
    if (m.change == Change::gain) ++s.gains;
    if (m.change == Change::regression) ++s.regressions;
    if (m.change == Change::changed) ++s.changed;
    auto oriented = m.ratio ? oriented_ratio(*m.ratio, m.better) : std::nullopt;
    if (!oriented) {
      ++s.metrics_left_out;
      continue;
    }
    log_sums[static_cast<std::size_t>(&s - out.data())] += std::log(*oriented);
    ++s.metrics_counted;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].metrics_counted == 0) continue;
    double geomean = std::exp(log_sums[i] / static_cast<double>(out[i].metrics_counted));
    if (std::isfinite(geomean)) out[i].geomean_ratio = geomean;
  }
  return out;
}

}  // namespace numalab::compare
