#include "report/compare_statistics.hpp"

#include <cmath>
#include <limits>
#include <map>

namespace numalab::report {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

void collect_failures(CompareReport& r) {
  r.failures.clear();
  for (const auto& run : r.runs) {
    if (!run.result) continue;
    const auto& res = *run.result;
    const std::string& kernel = r.kernels[run.kernel].name;
    bool named = false;
    for (const auto& w : res.workloads) {
      if (w.verdict == result::Verdict::pass) continue;
      r.failures.push_back({kernel, w.name, w.machine, run.repetition, res.run_id, w.verdict, w.detail});
      named = true;
    }
    // The run broke without a workload to blame (a VM that never booted, a hang between workloads).
    if (!named && res.verdict != result::Verdict::pass)
      r.failures.push_back({kernel, "", "", run.repetition, res.run_id, res.verdict, res.reason});
  }
}

}  // namespace

compare::KernelSamples kernel_samples(const CompareReport& r, std::size_t kernel) {
  compare::KernelSamples out;
  out.kernel = r.kernels.at(kernel).name;
  std::map<compare::MetricKey, std::size_t> index;
  std::size_t boots = 0;
  for (const auto& run : r.runs) {
    if (run.kernel != kernel || !run.result) continue;
    for (const auto& w : run.result->workloads)
      for (const auto& [name, v] : w.metrics) {
        compare::MetricKey key{w.name, name};
        auto [it, added] = index.try_emplace(key, out.metrics.size());
        if (added) out.metrics.push_back({key, v.unit, v.better, std::vector<double>(boots, k_nan)});
        auto& values = out.metrics[it->second].values;
        values.resize(boots + 1, k_nan);
        values[boots] = v.absent ? k_nan : v.value;
      }
    ++boots;
    out.slots.push_back(run.repetition);
    for (auto& m : out.metrics) m.values.resize(boots, k_nan);
  }
  return out;
}

void compute_statistics(CompareReport& r) {
  r.comparisons.clear();
  r.aa_noise.reset();
  r.complete = !r.runs.empty();
  for (const auto& run : r.runs) {
    if (!run.result) r.complete = false;
    if (run.result && r.accel.empty())
      for (const auto& m : run.result->machines)
        if (!m.accel.empty()) r.accel = m.accel;
  }
  collect_failures(r);
  if (r.kernels.empty()) return;
  const auto baseline = kernel_samples(r, 0);
  bool any_aa = false;
  for (std::size_t k = 1; k < r.kernels.size(); ++k) {
    r.comparisons.push_back(compare::compare_kernels(baseline, kernel_samples(r, k), r.options));
    any_aa = any_aa || r.comparisons.back().aa();
  }
  if (any_aa) {
    std::vector<compare::KernelComparison> aa;
    for (const auto& c : r.comparisons)
      if (c.aa()) aa.push_back(c);
    r.aa_noise = compare::aa_noise(aa);
  }
}

}  // namespace numalab::report
