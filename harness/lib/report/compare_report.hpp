#pragma once
// Everything a `numalab compare` produced, in one value: what was compared (kernels with their
// build identity, the lab's topology), every run in the order it ran, the statistics of each kernel
// against the baseline, the A/A noise, and the functional failures. The text table, the JSON
// document (which the HTML report renders), JUnit and KCIDB are all written from this value, live
// or re-read from the store (--from-db): the statistics are recomputed from the stored runs and
// are the same every time (the bootstrap is seeded).

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "compare/aa_noise.hpp"
#include "compare/comparison_options.hpp"
#include "compare/kernel_comparison.hpp"
#include "model/topology.hpp"
#include "result/run_result.hpp"

namespace numalab::report {

// A kernel of the comparison and where it came from.
struct CompareKernel {
  std::string name;         // as given to --kernel: "baseline", "numab-v3", "debian", a path
  std::string release;      // uname -r the guest reported ("" when no run said hello)
  std::string sha256;       // of the image booted
  std::string cache_key;    // numalab's build key (24 hex digits); "" for a prebuilt kernel
  std::string base;         // base identity: "debian linux-source-6.1 6.1.x", "git <sha>"; "" if prebuilt
  std::string series;       // the patch series folder as the lab names it; "" for none
  std::string series_hash;  // content hash of the series; "" for none
  std::vector<std::string> config;  // config fragments
};

// One machine of the lab, as declared.
struct CompareMachine {
  std::string name;
  model::Topology topology;
};

// One planned run: kernel `kernel` (index into kernels), repetition `repetition` (1-based).
struct CompareRun {
  int seq = 0;  // position in the plan, 1-based: runs interleave the kernels (A B A B ...)
  std::size_t kernel = 0;
  int repetition = 0;
  std::optional<result::RunResult> result;  // nullopt: not run (yet)
};

// A workload that did not pass on a kernel in some repetition (or a run that broke before it).
struct FunctionalFailure {
  std::string kernel;
  std::string workload;  // "" when the whole run broke before any workload ended
  std::string machine;
  int repetition = 0;
  std::string run_id;
  result::Verdict verdict = result::Verdict::fail;
  std::string detail;
};

struct CompareReport {
  std::string compare_id;  // "c0001"
  std::string lab;         // the lab's name
  std::string lab_file;
  std::string started_at;  // ISO 8601 UTC
  double duration_s = 0;
  int repeat = 0;
  std::string accel;      // "tcg" or "kvm", from the runs
  bool complete = false;  // every planned run finished
  compare::ComparisonOptions options;
  std::vector<CompareKernel> kernels;  // [0] is the baseline
  std::vector<CompareMachine> machines;
  std::vector<CompareRun> runs;                        // the whole plan, in order
  std::vector<compare::KernelComparison> comparisons;  // kernels[i] (i >= 1) against kernels[0]
  std::optional<compare::AaNoise> aa_noise;            // when some kernel was compared with itself
  std::vector<FunctionalFailure> failures;

  // The significant regressions of every comparison (metric comparisons with change regression).
  std::vector<const compare::MetricComparison*> regressions() const;
  const compare::KernelComparison* comparison_of(const std::string& kernel) const;
};

// A kernel's identity as JSON (the compare document's "kernels" entries, and the store's) and back.
nlohmann::json to_json(const CompareKernel& kernel);
CompareKernel kernel_from_json(const nlohmann::json& j);  // missing members are empty
// The options as the store and the compare document keep them: blocking as asked ("auto", "slot",
// "none"), whether the runs of a slot ran side by side, and the blocking that follows
// ("blocking_used"); options_from_json reads what an older numalab wrote too.
nlohmann::json options_json(const compare::ComparisonOptions& options);
compare::ComparisonOptions options_from_json(const nlohmann::json& j);

// The compare document: everything above as JSON, with the workloads that shared a boot
// (shared_boots.hpp; schema in harness/report/README.md). The HTML report is rendered from it,
// `--json FILE` writes it.
nlohmann::json to_json(const CompareReport& report);

}  // namespace numalab::report
