#pragma once
// numalab compare: the lab's workloads on two or more kernels, `repeat` fresh boots each, the
// kernels interleaved (A B A B ...) so that drift of the host is spread over all of them instead of
// masquerading as a difference. The plan goes into the results database before the first boot and
// every finished run is recorded at once, so an interrupted compare resumes where it stopped
// (resume = its id) and any compare re-renders later from the database alone.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compare/comparison_options.hpp"
#include "lab/lab.hpp"
#include "report/compare_report.hpp"
#include "run/lab_runner.hpp"
#include "store/store.hpp"

namespace numalab::run {

struct CompareRequest {
  std::vector<std::string> kernels;  // as --kernel names them; [0] is the baseline
  int repeat = 3;
  std::optional<std::string> resume;  // a compare id: continue it (kernels and repeat come from it)
  compare::ComparisonOptions stats;
};

struct CompareProgress {
  int done = 0;   // runs finished, this session and earlier ones
  int total = 0;  // runs planned
  int seq = 0;    // the run starting or ended now
  std::string kernel;
  int repetition = 0;
  std::string activity;               // "booting", "numa01", "pass in 17.2 s" ...
  double elapsed_s = 0;               // since this session started
  std::optional<double> remaining_s;  // from the mean duration of the runs so far
};

struct CompareOutcome {
  report::CompareReport report;
  int interrupted_by = 0;  // the signal that stopped the compare, or 0
};

// Builds the kernels first (a kernel that cannot be built stops everything before any boot).
util::Result<CompareOutcome> run_compare(const lab::Lab& lab, const CompareRequest& request,
                                         const RunOptions& options, store::ResultsStore& store,
                                         const std::function<void(const CompareProgress&)>& progress);

// A stored compare with its finished runs and the statistics over them; nullopt when no such id.
util::Result<std::optional<report::CompareReport>> load_compare_report(store::ResultsStore& store,
                                                                       const std::string& compare_id);

// The plan: for each repetition, every kernel in order.
std::vector<store::ComparePlanRow> interleaved_plan(std::size_t kernels, int repeat);

}  // namespace numalab::run
