#pragma once
// The comparison as a text table, in the spirit of the tables MM developers post to linux-mm
// (mmtests' compare-kernels): one row per workload and metric, one column per kernel with its mean
// and the change against the baseline, + meaning better, and a mark on significant changes. Then a
// geometric-mean row per workload, the legend with the workloads that ran after others in the same
// boot, the A/A noise and the functional failures.

#include <string>

#include "report/compare_report.hpp"

namespace numalab::report {

struct TableOptions {
  bool color = false;  // ANSI colours: regressions red, gains green (a terminal)
};

std::string format_compare_table(const CompareReport& report, const TableOptions& options = {});

// "12.35", "81233", "1.2e-05": about five significant digits in at most 10 columns.
std::string format_value(double v);

}  // namespace numalab::report
