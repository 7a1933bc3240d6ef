#pragma once
// From the runs of a comparison to its statistics: each kernel's per-boot values of every
// (workload, metric), each kernel against the baseline (compare::compare_kernels), the A/A noise
// when a kernel was compared with itself, and the functional failures. The same runs give the
// same report every time.

#include "report/compare_report.hpp"

namespace numalab::report {

// One kernel's values over its finished runs, in plan order, each with its slot (the run's
// repetition). A metric a run lacks (the workload did not end, the counter is absent) is NaN in
// that run: left out of the statistics and counted.
compare::KernelSamples kernel_samples(const CompareReport& report, std::size_t kernel);

// Fills comparisons, aa_noise, failures, accel and complete from report.runs and report.kernels.
void compute_statistics(CompareReport& report);

}  // namespace numalab::report
