#pragma once
// The words inside the JUnit file: the body of a <failure> (each functional failure, each
// regression with its numbers) and the <system-out> of a case (its metrics with their means).
// Plain text; junit_xml.cpp escapes it.

#include <optional>
#include <string>
#include <vector>

#include "compare/metric_comparison.hpp"
#include "report/compare_report.hpp"

namespace numalab::report {

// One metric of one workload on one kernel over its repetitions.
struct CaseMetric {
  std::string name;
  std::string unit;
  model::Better better = model::Better::none;
  std::vector<double> values;  // one per repetition that reached the workload; NaN = absent
};

struct CaseSamples {
  int repetitions = 0;              // finished runs of the kernel that reached the workload (not "not run")
  double mean_elapsed_s = 0;        // over those
  std::vector<CaseMetric> metrics;  // in the order first reported
};

CaseSamples case_samples(const CompareReport& report, std::size_t kernel, const std::string& workload,
                         const std::string& machine);

// "+6.5 %", "-12.0 %"; "-" when unknown.
std::string percent_text(std::optional<double> percent_better);

// "Functional failures ...:\n  repetition 2, run 0004, machine guest: fail\n    detail\n"; "" if none.
std::string failures_text(const std::vector<const FunctionalFailure*>& failures);

// "Significant regressions against ...:\n  metric [unit, lower is better]: baseline mean ..., change
// -12.0 %, ratio 1.12 [1.05, 1.2] (welch), p = 0.004\n"; "" if none.
std::string regressions_text(const CompareReport& report, std::size_t kernel,
                             const std::vector<const compare::MetricComparison*>& regressions);

// Each metric: mean, standard deviation, n; for a kernel other than the baseline also the baseline's
// mean, the change, the ratio with its interval, p and the verdict of the comparison.
std::string metrics_text(const CompareReport& report, std::size_t kernel, const std::string& workload,
                         const CaseSamples& samples);

}  // namespace numalab::report
