#include "result/run_result.hpp"

#include <nlohmann/json.hpp>
#include <string_view>

namespace numalab::result {

namespace {

nlohmann::json report_json(const monitor::KernelReport& r) {
  return {
      {"kind", r.kind}, {"title", r.title}, {"first_line", r.first_line}, {"task", r.task},
      {"pid", r.pid},   {"cpu", r.cpu},     {"stack", r.stack},           {"console_line", r.line_number}};
}

nlohmann::json machine_json(const MachineResult& m) {
  nlohmann::json reports = nlohmann::json::array();
  for (const auto& r : m.kernel_reports) reports.push_back(report_json(r));
  return {{"name", m.name},
          {"accel", m.accel},
          {"accel_reason", m.accel_reason},
          {"boot_seconds", m.boot_seconds},
          {"boot", m.boot},
          {"startup_key", m.startup_key},
          {"boot_note", m.boot_note},
          {"kernel",
           {{"name", m.kernel.name},
            {"release", m.kernel.release},
            {"sha256", m.kernel.sha256},
            {"path", m.kernel.path}}},
          {"topology_seen", m.topology_seen ? nlohmann::json(*m.topology_seen) : nullptr},
          {"kernel_reports", std::move(reports)}};
}

nlohmann::json workload_json(const WorkloadResult& w) {
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [name, metric] : w.metrics) {
    auto& m = metrics[name];
    m = {{"value", metric.absent ? nlohmann::json(nullptr) : nlohmann::json(metric.value)},
         {"unit", metric.unit},
         {"better", model::to_string(metric.better)}};
    if (metric.absent) m["absent"] = true;
  }
  nlohmann::json series = nlohmann::json::object();
  for (const auto& [name, points] : w.series) {
    auto& s = series[name] = nlohmann::json::array();
    for (const auto& p : points) s.push_back({p.at_s, p.value});
  }
  return {{"name", w.name},
          {"machine", w.machine},
          {"verdict", to_string(w.verdict)},
          {"detail", w.detail},
          {"elapsed_s", w.elapsed_s},
          {"metrics", std::move(metrics)},
          {"series", std::move(series)},
          {"restored", w.restored},
          {"left", w.left}};
}

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

nlohmann::json fault_json(const FaultRecord& f) {
  nlohmann::json resumed = nlohmann::json::array();
  for (const auto& c : f.resumed)
    resumed.push_back({{"machine", c.machine}, {"counter", c.counter}, {"after_s", c.after_s}});
  nlohmann::json j = {{"kind", f.kind},
                      {"machine", f.machine},
                      {"planned_at_s", f.planned_at_s},
                      {"duration_s", f.duration_s},
                      {"applied_at_s", optional_number(f.applied_at_s)},
                      {"ended_at_s", optional_number(f.ended_at_s)},
                      {"first_progress_after_s", optional_number(f.first_progress_after_s)},
                      {"resumed", resumed},
                      {"detail", f.detail}};
  if (!f.network.empty()) j["network"] = f.network;
  if (!f.after.empty()) j["after"] = f.after;
  return j;
}

}  // namespace

nlohmann::json to_summary_json(const RunResult& r) {
  nlohmann::json machines = nlohmann::json::array();
  for (const auto& m : r.machines) machines.push_back(machine_json(m));
  nlohmann::json workloads = nlohmann::json::array();
  for (const auto& w : r.workloads) workloads.push_back(workload_json(w));
  nlohmann::json j = {{"run_id", r.run_id},
                      {"lab", r.lab},
                      {"lab_file", r.lab_file},
                      {"verdict", to_string(r.verdict)},
                      {"reason", r.reason},
                      {"started_at", r.started_at},
                      {"duration_s", r.duration_s},
                      {"run_dir", r.run_dir},
                      {"machines", std::move(machines)},
                      {"workloads", std::move(workloads)}};
  if (!r.faults.empty()) {
    nlohmann::json faults = nlohmann::json::array();
    for (const auto& f : r.faults) faults.push_back(fault_json(f));
    j["faults"] = std::move(faults);
  }
  return j;
}

}  // namespace numalab::result
