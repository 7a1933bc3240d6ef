#include "report/report_kernels.hpp"

#include <set>

namespace numalab::report {

std::vector<std::string> kernel_labels(const CompareReport& report) {
  std::vector<std::string> out;
  std::set<std::string> used;
  for (const auto& k : report.kernels) {
    std::string label = k.name;
    for (int n = 2; used.contains(label); ++n) label = k.name + "#" + std::to_string(n);
    used.insert(label);
    out.push_back(std::move(label));
  }
  return out;
}

const compare::KernelComparison* comparison_for(const CompareReport& report, std::size_t kernel) {
  if (kernel == 0 || kernel >= report.kernels.size()) return nullptr;
  const auto& name = report.kernels[kernel].name;
  if (kernel - 1 < report.comparisons.size() && report.comparisons[kernel - 1].other == name)
    return &report.comparisons[kernel - 1];
  // Not in plan order (a report assembled by hand): by name, unambiguous unless A/A.
  return report.comparison_of(name);
}

const compare::MetricComparison* metric_in(const compare::KernelComparison* comparison,
                                           const std::string& workload, const std::string& metric) {
  if (!comparison) return nullptr;
  for (const auto& m : comparison->metrics)
    if (m.key.workload == workload && m.key.name == metric) return &m;
  return nullptr;
}

}  // namespace numalab::report
