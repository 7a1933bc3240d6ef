#pragma once
// Naming the kernels of a comparison in files for CI. An A/A comparison has the same kernel twice
// (kernels[0] and kernels[1] both "baseline"), so a kernel's name alone does not identify it:
// the second occurrence of a name is labelled "baseline#2", as `numalab run` labels a repeated
// workload "numa02#2".

#include <cstddef>
#include <string>
#include <vector>

#include "report/compare_report.hpp"

namespace numalab::report {

// One label per report.kernels entry, unique, in the same order.
std::vector<std::string> kernel_labels(const CompareReport& report);

// The comparison of kernels[kernel] against the baseline; nullptr for the baseline itself (0) and
// when it was not computed. By position (comparisons[i - 1] is kernels[i]), not by name, so that
// the A/A kernel finds its own comparison.
const compare::KernelComparison* comparison_for(const CompareReport& report, std::size_t kernel);

// The comparison of one metric in `comparison`, or nullptr.
const compare::MetricComparison* metric_in(const compare::KernelComparison* comparison,
                                           const std::string& workload, const std::string& metric);

}  // namespace numalab::report
