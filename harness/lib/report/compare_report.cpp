#include "report/compare_report.hpp"

#include <nlohmann/json.hpp>

#include "compare/compare_json.hpp"
#include "report/shared_boots.hpp"

namespace numalab::report {

namespace {

std::string text(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

}  // namespace

nlohmann::json to_json(const CompareKernel& k) {
  return {
      {"name", k.name}, {"release", k.release}, {"sha256", k.sha256},           {"cache_key", k.cache_key},
      {"base", k.base}, {"series", k.series},   {"series_hash", k.series_hash}, {"config", k.config}};
}

CompareKernel kernel_from_json(const nlohmann::json& j) {
  CompareKernel k{text(j, "name"), text(j, "release"), text(j, "sha256"),      text(j, "cache_key"),
                  text(j, "base"), text(j, "series"),  text(j, "series_hash"), {}};
  if (j.is_object() && j.contains("config") && j["config"].is_array())
    for (const auto& c : j["config"])
      if (c.is_string()) k.config.push_back(c.get<std::string>());
  return k;
}

nlohmann::json options_json(const compare::ComparisonOptions& o) {
  return {{"level", o.level},
          {"fdr_q", o.fdr_q},
          {"method", o.method ? std::string(compare::to_string(*o.method)) : std::string("auto")},
          {"bootstrap_resamples", o.bootstrap_resamples},
          {"blocking", o.blocking ? std::string(compare::to_string(*o.blocking)) : std::string("auto")},
          {"side_by_side", o.side_by_side},
          {"blocking_used", compare::to_string(o.blocking_used())},
          {"power_goal", {{"change", o.power.change}, {"power", o.power.power}, {"alpha", o.power.alpha}}}};
}

compare::ComparisonOptions options_from_json(const nlohmann::json& j) {
  compare::ComparisonOptions o;
  if (!j.is_object()) return o;
  if (j.contains("level") && j["level"].is_number()) o.level = j["level"].get<double>();
  if (j.contains("fdr_q") && j["fdr_q"].is_number()) o.fdr_q = j["fdr_q"].get<double>();
  if (j.contains("bootstrap_resamples") && j["bootstrap_resamples"].is_number_unsigned())
    o.bootstrap_resamples = j["bootstrap_resamples"].get<std::size_t>();
  o.method = compare::interval_method_from_string(text(j, "method"));
  o.blocking = compare::blocking_from_string(text(j, "blocking"));  // "auto", or absent (older): nullopt
  if (j.contains("side_by_side") && j["side_by_side"].is_boolean())
    o.side_by_side = j["side_by_side"].get<bool>();
  if (j.contains("power_goal") && j["power_goal"].is_object()) {
    const auto& g = j["power_goal"];
    if (g.contains("change") && g["change"].is_number()) o.power.change = g["change"].get<double>();
    if (g.contains("power") && g["power"].is_number()) o.power.power = g["power"].get<double>();
    if (g.contains("alpha") && g["alpha"].is_number()) o.power.alpha = g["alpha"].get<double>();
  }
  return o;
}

std::vector<const compare::MetricComparison*> CompareReport::regressions() const {
  std::vector<const compare::MetricComparison*> out;
  for (const auto& c : comparisons)
    for (const auto& m : c.metrics)
      if (m.significant && m.change == compare::Change::regression) out.push_back(&m);
  return out;
}

const compare::KernelComparison* CompareReport::comparison_of(const std::string& kernel) const {
  for (const auto& c : comparisons)
    if (c.other == kernel) return &c;
  return nullptr;
}

nlohmann::json to_json(const CompareReport& r) {
  auto kernels = nlohmann::json::array();
  for (const auto& k : r.kernels) kernels.push_back(to_json(k));
  auto machines = nlohmann::json::array();
  for (const auto& m : r.machines) machines.push_back({{"name", m.name}, {"topology", m.topology}});
  auto runs = nlohmann::json::array();
  for (const auto& run : r.runs)
    runs.push_back(
        {{"seq", run.seq},
         {"kernel", run.kernel < r.kernels.size() ? r.kernels[run.kernel].name : std::string()},
         {"kernel_index", run.kernel},
         {"repetition", run.repetition},
         {"summary", run.result ? result::to_summary_json(*run.result) : nlohmann::json(nullptr)}});
  auto comparisons = nlohmann::json::array();
  auto regressions = nlohmann::json::array();
  for (const auto& c : r.comparisons) {
    comparisons.push_back(compare::to_json(c));
    for (const auto& m : c.metrics) {
      if (!m.significant || m.change != compare::Change::regression) continue;
      const auto metric = compare::to_json(m);
      regressions.push_back({{"kernel", c.other},
                             {"workload", m.key.workload},
                             {"metric", m.key.name},
                             {"unit", m.unit},
                             {"percent_better", metric["percent_better"]},
                             {"ratio", metric["ratio"]},
                             {"ratio_interval", metric["ratio_interval"]},
                             {"p_value", metric["p_value"]}});
    }
  }
  auto failures = nlohmann::json::array();
  for (const auto& f : r.failures)
    failures.push_back({{"kernel", f.kernel},
                        {"workload", f.workload},
                        {"machine", f.machine},
                        {"repetition", f.repetition},
                        {"run_id", f.run_id},
                        {"verdict", result::to_string(f.verdict)},
                        {"detail", f.detail}});
  auto shared = nlohmann::json::array();
  for (const auto& s : shared_boots(r.runs)) shared.push_back(to_json(s));
  return {{"format", "numalab-compare"},
          {"version", 3},
          {"compare_id", r.compare_id},
          {"lab", r.lab},
          {"lab_file", r.lab_file},
          {"started_at", r.started_at},
          {"duration_s", r.duration_s},
          {"repeat", r.repeat},
          {"accel", r.accel},
          {"complete", r.complete},
          {"options", options_json(r.options)},
          {"kernels", std::move(kernels)},
          {"machines", std::move(machines)},
          {"runs", std::move(runs)},
          {"comparisons", std::move(comparisons)},
          {"aa_noise", r.aa_noise ? compare::to_json(*r.aa_noise) : nlohmann::json(nullptr)},
          {"failures", std::move(failures)},
          {"regressions", std::move(regressions)},
          {"shared_boots", std::move(shared)}};
}

}  // namespace numalab::report
