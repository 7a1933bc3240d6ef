#include "compare/compare_json.hpp"

#include <cmath>

namespace numalab::compare {

namespace {

nlohmann::json number(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return *v;
}

nlohmann::json interval(const std::optional<Interval>& i) {
  if (!i) return nullptr;
  return {{"low", number(i->low)}, {"high", number(i->high)}};
}

nlohmann::json count(std::optional<std::size_t> v) {
  if (!v) return nullptr;
  return *v;
}

nlohmann::json method(std::optional<IntervalMethod> m) {
  return m ? nlohmann::json(to_string(*m)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json to_json(const RatioEstimate& e) {
  return {{"ratio", number(e.ratio)},
          {"method", method(e.method)},
          {"method_reason", e.method_reason},
          {"ratio_interval", interval(e.ratio_interval)},
          {"p_value", number(e.p_value)}};
}

nlohmann::json to_json(const BlockedRatio& b) {
  return {{"slots", b.slots},
          {"slots_left_out", b.slots_left_out},
          {"ratio", number(b.ratio)},
          {"ratio_interval", interval(b.ratio_interval)},
          {"p_value", number(b.p_value)},
          {"log_sd", number(b.log_sd)},
          {"ratio_cv", number(b.ratio_cv)}};
}

nlohmann::json to_json(const MetricNoise& n) {
  return {{"baseline_cv", number(n.baseline_cv)},  {"other_cv", number(n.other_cv)},
          {"ratio_cv", number(n.ratio_cv)},        {"blocked_ratio_cv", number(n.blocked_ratio_cv)},
          {"boots_needed", count(n.boots_needed)}, {"boots_needed_blocked", count(n.boots_needed_blocked)}};
}

nlohmann::json to_json(const SampleSummary& s) {
  return {{"n", s.n},
          {"nan_count", s.nan_count},
          {"infinite_count", s.infinite_count},
          {"absent", s.absent()},
          {"mean_kind", to_string(s.mean_kind)},
          {"mean", number(s.mean)},
          {"stddev", number(s.stddev)},
          {"cv", number(s.cv)},
          {"min", number(s.min)},
          {"max", number(s.max)}};
}

nlohmann::json to_json(const MetricComparison& m) {
  return {{"workload", m.key.workload},
          {"name", m.key.name},
          {"unit", m.unit},
          {"better", model::to_string(m.better)},
          {"mean_kind", to_string(m.mean_kind)},
          {"baseline", to_json(m.baseline)},
          {"other", to_json(m.other)},
          {"ratio", number(m.ratio)},
          {"percent_better", number(m.percent_better)},
          {"method", method(m.method)},
          {"method_reason", m.method_reason},
          {"ratio_interval", interval(m.ratio_interval)},
          {"p_value", number(m.p_value)},
          {"interval_excludes_one", m.interval_excludes_one},
          {"fdr_rejected", m.fdr_rejected},
          {"significant", m.significant},
          {"change", to_string(m.change)},
          {"note", m.note},
          {"blocking", to_string(m.blocking)},
          {"unblocked", to_json(m.unblocked)},
          {"blocked", m.blocked ? to_json(*m.blocked) : nlohmann::json(nullptr)},
          {"noise", to_json(m.noise)}};
}

nlohmann::json to_json(const WorkloadSummary& w) {
  return {{"workload", w.workload},
          {"geomean_ratio", number(w.geomean_ratio)},
          {"metrics_counted", w.metrics_counted},
          {"metrics_left_out", w.metrics_left_out},
          {"gains", w.gains},
          {"regressions", w.regressions},
          {"changed", w.changed}};
}

nlohmann::json to_json(const KernelComparison& c) {
  auto metrics = nlohmann::json::array();
  for (const auto& m : c.metrics) metrics.push_back(to_json(m));
  auto workloads = nlohmann::json::array();
  for (const auto& w : c.workloads) workloads.push_back(to_json(w));
  return {{"baseline", c.baseline},
          {"other", c.other},
          {"aa", c.aa()},
          {"fdr_q", c.fdr_q},
          {"blocking", to_string(c.blocking)},
          {"metrics", metrics},
          {"workloads", workloads}};
}

nlohmann::json to_json(const AaNoise& n) {
  return {{"tested", n.tested},
          {"interval_excludes_one", n.interval_excludes_one},
          {"flagged", n.flagged},
          {"raw_share", number(n.raw_share)},
          {"flagged_share", number(n.flagged_share)},
          {"nominal", n.nominal}};
}

}  // namespace numalab::compare
