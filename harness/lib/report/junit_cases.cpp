#include "report/junit_cases.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "report/junit_text.hpp"
#include "report/report_kernels.hpp"
#include "report/report_text.hpp"

namespace numalab::report {

namespace {

using result::Verdict;

constexpr std::string_view k_run_case = "(run)";  // no workload label has parentheses

struct CaseKey {
  std::string workload, machine;
  bool operator==(const CaseKey&) const = default;
};

// Every (workload, machine) of every finished run, in the order first seen.
std::vector<CaseKey> case_keys(const CompareReport& r) {
  std::vector<CaseKey> out;
  for (const auto& run : r.runs) {
    if (!run.result) continue;
    for (const auto& w : run.result->workloads)
      if (std::find(out.begin(), out.end(), CaseKey{w.name, w.machine}) == out.end())
        out.push_back({w.name, w.machine});
  }
  return out;
}

// Labels that several machines report: their cases are named "label on machine".
std::set<std::string> shared_labels(const std::vector<CaseKey>& keys) {
  std::map<std::string, int> machines;
  std::set<std::string> out;
  for (const auto& k : keys)
    if (++machines[k.workload] > 1) out.insert(k.workload);
  return out;
}

// The kernel (index) a failure happened on: by its run, since an A/A comparison has two kernels
// of the same name; by name when the run is not in the report.
std::size_t kernel_of(const CompareReport& r, const FunctionalFailure& f) {
  for (const auto& run : r.runs)
    if (run.result && run.result->run_id == f.run_id && run.kernel < r.kernels.size() &&
        r.kernels[run.kernel].name == f.kernel)
      return run.kernel;
  for (std::size_t k = 0; k < r.kernels.size(); ++k)
    if (r.kernels[k].name == f.kernel) return k;
  return r.kernels.size();
}

bool kernel_fault(Verdict v) { return v == Verdict::fail || v == Verdict::hang || v == Verdict::crash; }

std::string message_of(const std::vector<const FunctionalFailure*>& failures,
                       const std::vector<const compare::MetricComparison*>& regressions) {
  std::vector<std::string> parts;
  if (!failures.empty()) {
    const auto& f = *failures.front();
    std::string part = fmt::format("{} in repetition {} (run {})", result::to_string(f.verdict), f.repetition,
                                   f.run_id.empty() ? "-" : f.run_id);
    if (!f.detail.empty()) part += ": " + first_line(f.detail, 160);
    if (failures.size() > 1) part += fmt::format(" (and {} more)", failures.size() - 1);
    parts.push_back(std::move(part));
  }
  if (!regressions.empty()) {
    std::string part = regressions.size() == 1 ? "significant regression: " : "significant regressions: ";
    for (std::size_t i = 0; i < regressions.size(); ++i)
      part += (i ? ", " : "") + regressions[i]->key.name + " " + percent_text(regressions[i]->percent_better);
    parts.push_back(std::move(part));
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

JunitCase make_case(const CompareReport& r, std::size_t kernel, const std::string& name, const CaseKey& key,
                    const std::vector<const FunctionalFailure*>& failures) {
  JunitCase c;
  c.name = name;
  const auto* comparison = comparison_for(r, kernel);
  std::vector<const compare::MetricComparison*> regressions;
  if (comparison)
    for (const auto& m : comparison->metrics)
      if (m.key.workload == key.workload && m.significant && m.change == compare::Change::regression)
        regressions.push_back(&m);

  const auto samples = case_samples(r, kernel, key.workload, key.machine);
  c.time_s = samples.mean_elapsed_s;
  c.out = metrics_text(r, kernel, key.workload, samples);

  const bool fault = std::any_of(failures.begin(), failures.end(),
                                 [](const FunctionalFailure* f) { return kernel_fault(f->verdict); });
  if (fault || !regressions.empty()) {
    c.outcome = CaseOutcome::failure;
    Verdict worst = Verdict::pass;
    for (const auto* f : failures)
      if (kernel_fault(f->verdict)) worst = result::worst(worst, f->verdict);
    c.type = worst == Verdict::pass ? "regression" : std::string(result::to_string(worst));
  } else if (!failures.empty()) {
    c.outcome = CaseOutcome::error;
    c.type = "error";
  } else if (samples.repetitions == 0 && key.workload != k_run_case) {
    c.outcome = CaseOutcome::skipped;
    c.message = std::string("no finished run of this kernel reached the workload") +
                (r.complete ? "" : "; the compare is incomplete");
    return c;
  }
  if (c.outcome == CaseOutcome::passed) return c;
  c.message = message_of(failures, regressions);
  c.body = failures_text(failures) + regressions_text(r, kernel, regressions);
  return c;
}

std::vector<std::pair<std::string, std::string>> properties_of(const CompareReport& r, std::size_t kernel) {
  const auto& k = r.kernels[kernel];
  std::string config;
  for (const auto& c : k.config) config += (config.empty() ? "" : ",") + c;
  return {{"lab", r.lab},
          {"compare_id", r.compare_id},
          {"kernel", k.name},
          {"kernel_release", k.release},
          {"kernel_sha256", k.sha256},
          {"cache_key", k.cache_key},
          {"base", k.base},
          {"series", k.series},
          {"series_hash", k.series_hash},
          {"config", config},
          {"baseline", r.kernels.front().name},
          {"role", kernel == 0 ? "baseline" : "compared with the baseline"},
          {"repeat", std::to_string(r.repeat)},
          {"accel", r.accel}};
}

}  // namespace

std::vector<JunitSuite> junit_suites(const CompareReport& r) {
  std::vector<JunitSuite> out;
  const auto labels = kernel_labels(r);
  const auto keys = case_keys(r);
  const auto shared = shared_labels(keys);
  // Each failure to its kernel and case; those of no known case go to the kernel's "(run)" case.
  std::vector<std::map<std::size_t, std::vector<const FunctionalFailure*>>> by_case(r.kernels.size());
  for (const auto& f : r.failures) {
    const std::size_t kernel = kernel_of(r, f);
    if (kernel >= r.kernels.size()) continue;
    const auto it = std::find(keys.begin(), keys.end(), CaseKey{f.workload, f.machine});
    by_case[kernel][it == keys.end() ? keys.size() : static_cast<std::size_t>(it - keys.begin())].push_back(
        &f);
  }
  for (std::size_t k = 0; k < r.kernels.size(); ++k) {
    JunitSuite suite;
    suite.name = labels[k];
    suite.classname = "numalab." + path_part(r.lab) + "." + path_part(labels[k]);
    suite.properties = properties_of(r, k);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const auto& key = keys[i];
      const std::string name =
          shared.contains(key.workload) ? key.workload + " on " + key.machine : key.workload;
      suite.cases.push_back(make_case(r, k, name, key, by_case[k][i]));
    }
    if (const auto run = by_case[k].find(keys.size()); run != by_case[k].end())
      suite.cases.push_back(
          make_case(r, k, std::string(k_run_case), {std::string(k_run_case), ""}, run->second));
    out.push_back(std::move(suite));
  }
  return out;
}

}  // namespace numalab::report
