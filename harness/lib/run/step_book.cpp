#include "run/step_book.hpp"

#include <map>

namespace numalab::run {

using result::Verdict;

StepBook::StepBook(const std::string& machine, std::vector<lab::Workload> workloads)
    : workloads_(std::move(workloads)) {
  std::map<std::string, int> seen;
  for (const auto& w : workloads_) {
    result::WorkloadResult r;
    // The name results are known by: "numa01/hard-bind" for a variant, "#2" on a repeat.
    r.name = lab::workload_label(w);
    if (const int n = ++seen[r.name]; n > 1) r.name += "#" + std::to_string(n);
    r.machine = machine;
    r.verdict = Verdict::error;
    r.detail = "not run";
    results_.push_back(std::move(r));
  }
}

result::WorkloadResult* StepBook::open_result(const std::string& workload) {
  if (!open_ || workloads_[started_ - 1].name != workload) return nullptr;
  return &results_[started_ - 1];
}

bool StepBook::start(const agent::StepStart& m) {
  if (started_ >= results_.size() || workloads_[started_].name != m.workload) return false;
  results_[started_].detail = "did not finish";
  ++started_;
  open_ = true;
  return true;
}

bool StepBook::metric(const agent::Metric& m) {
  auto* r = open_result(m.workload);
  if (r == nullptr) return false;
  r->metrics[m.name] = {m.value, m.unit, m.better, m.absent};
  return true;
}

bool StepBook::sample(const agent::Sample& m) {
  auto* r = open_result(m.workload);
  if (r == nullptr) return false;
  auto it = r->series.find(m.name);
  if (it == r->series.end()) {
    if (r->series.size() >= result::k_max_series_per_workload) return true;
    it = r->series.emplace(m.name, std::vector<result::SeriesPoint>{}).first;
  }
  if (it->second.size() < result::k_max_points_per_series) it->second.push_back({m.at_s, m.value});
  return true;
}

bool StepBook::end(const agent::StepEnd& m) {
  auto* r = open_result(m.workload);
  if (r == nullptr) return false;
  r->verdict = result::verdict_from_string(m.verdict).value_or(Verdict::error);
  r->detail = m.detail;
  r->elapsed_s = m.elapsed_s;
  r->restored = m.restored;
  r->left = m.left;
  open_ = false;
  last_ended_ = started_ - 1;
  return true;
}

void StepBook::conclude(Verdict verdict, const std::string& reason) {
  if (open_) {
    results_[started_ - 1].verdict = verdict;
    results_[started_ - 1].detail = reason;
  }
  for (std::size_t i = started_; i < results_.size(); ++i) results_[i].detail = "not run: " + reason;
}

const lab::Workload* StepBook::open_workload() const { return open_ ? &workloads_[started_ - 1] : nullptr; }

const std::string& StepBook::open_label() const {
  static const std::string none;
  return open_ ? results_[started_ - 1].name : none;
}

}  // namespace numalab::run
