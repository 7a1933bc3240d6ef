// The KCIDB tests of a comparison: per finished run, the run, its workloads and their metrics.
// Status mapping and ids: kcidb_json.hpp.

#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "report/kcidb_context.hpp"
#include "report/report_kernels.hpp"
#include "report/report_text.hpp"

namespace numalab::report {

namespace {

using result::Verdict;

constexpr std::size_t k_log_excerpt_max = 16384;  // KCIDB's maxLength of log_excerpt

std::string status_of(Verdict v, const std::string& detail) {
  switch (v) {
    case Verdict::pass:
      return "PASS";
    case Verdict::fail:
    case Verdict::hang:
    case Verdict::crash:
      return "FAIL";
    case Verdict::error:
      break;
  }
  return not_run(v, detail) ? "MISS" : "ERROR";
}

// The run's topology as declared, with totals: {nodes: [{id, cpus, memory_kb}], distances,
// node_count, cpu_count, memory_kb}.
nlohmann::json topology_json(const model::Topology& t) {
  std::size_t cpus = 0;
  std::uint64_t memory_kb = 0;
  for (const auto& n : t.nodes) cpus += n.cpus.size(), memory_kb += n.memory_kb;
  nlohmann::json j = t;
  j["node_count"] = t.nodes.size();
  j["cpu_count"] = cpus;
  j["memory_kb"] = memory_kb;
  return j;
}

class RunTests {
 public:
  RunTests(const KcidbContext& c, const CompareRun& run) : c_(c), run_(run), res_(*run.result) {
    prefix_ = c.kernel_id(run.kernel) + ":" + std::to_string(run.repetition);
  }

  void append(nlohmann::json& tests) const {
    tests.push_back(run_test());
    for (const auto& w : res_.workloads) {
      tests.push_back(workload_test(w));
      for (const auto& [name, value] : w.metrics) tests.push_back(metric_test(w, name, value));
    }
  }

 private:
  std::string accel_of(const std::string& machine) const {
    for (const auto& m : res_.machines)
      if (m.name == machine && !m.accel.empty()) return m.accel;
    return c_.report.accel;
  }

  // machine "": every machine of the lab (the run's own test).
  nlohmann::json environment(const std::string& machine) const {
    auto machines = nlohmann::json::array();
    std::string comment = "numalab lab " + c_.report.lab;
    std::string accel = machine.empty() ? c_.report.accel : accel_of(machine);
    for (const auto& m : c_.report.machines) {
      if (!machine.empty() && m.name != machine) continue;
      const auto t = topology_json(m.topology);
      machines.push_back({{"name", kcidb_text(m.name)}, {"topology", t}});
      comment += ", machine " + m.name + ": " + std::to_string(t["node_count"].get<std::size_t>()) +
                 " nodes, " + std::to_string(t["cpu_count"].get<std::size_t>()) + " CPUs, " +
                 std::to_string(t["memory_kb"].get<std::uint64_t>() / 1024) + " MiB";
    }
    if (!accel.empty()) comment += " (" + accel + ")";
    return {
        {"comment", kcidb_text(comment)},
        {"misc", {{"lab", kcidb_text(c_.report.lab)}, {"accel", kcidb_text(accel)}, {"machines", machines}}}};
  }

  nlohmann::json base(std::string id, std::string path, const std::string& machine) const {
    nlohmann::json j{{"id", std::move(id)},
                     {"build_id", c_.kernel_id(run_.kernel)},
                     {"origin", c_.origin},
                     {"path", std::move(path)},
                     {"environment", environment(machine)}};
    // Workloads have no start time of their own: the boot's places them.
    if (rfc3339_date_time(res_.started_at)) j["start_time"] = res_.started_at;
    j["misc"] = {{"compare_id", kcidb_text(c_.report.compare_id)},
                 {"kernel", kcidb_text(c_.report.kernels[run_.kernel].name)},
                 {"label", kcidb_text(c_.labels[run_.kernel])},
                 {"repetition", run_.repetition},
                 {"seq", run_.seq},
                 {"run_id", kcidb_text(res_.run_id)}};
    return j;
  }

  static void set_duration(nlohmann::json& j, double s) {
    if (std::isfinite(s) && s >= 0) j["duration"] = s;
  }

  nlohmann::json run_test() const {
    auto j = base(prefix_, "numalab", "");
    j["status"] = status_of(res_.verdict, res_.reason);
    j["comment"] = kcidb_text("numalab run " + res_.run_id + " of lab " + c_.report.lab + " on kernel " +
                              c_.labels[run_.kernel] + ", repetition " + std::to_string(run_.repetition) +
                              ": " + std::string(result::to_string(res_.verdict)));
    if (!res_.reason.empty()) j["log_excerpt"] = kcidb_text(res_.reason, k_log_excerpt_max);
    set_duration(j, res_.duration_s);
    j["misc"]["verdict"] = result::to_string(res_.verdict);
    return j;
  }

  std::string workload_path(const result::WorkloadResult& w) const {
    std::string path = "numalab";
    std::string_view rest = w.name;  // "numa02/hard-bind": the variant is a node below the workload
    while (true) {
      const auto slash = rest.find('/');
      path += "." + path_part(rest.substr(0, slash));
      if (slash == std::string_view::npos) break;
      rest = rest.substr(slash + 1);
    }
    return path;
  }

  std::string workload_id(const result::WorkloadResult& w) const {
    return prefix_ + ":" + id_part(w.machine) + ":" + id_part(w.name);
  }

  void name_workload(nlohmann::json& j, const result::WorkloadResult& w) const {
    j["misc"]["machine"] = kcidb_text(w.machine);
    j["misc"]["workload"] = kcidb_text(w.name);
  }

  nlohmann::json workload_test(const result::WorkloadResult& w) const {
    auto j = base(workload_id(w), workload_path(w), w.machine);
    j["status"] = status_of(w.verdict, w.detail);
    const std::string outcome =
        not_run(w.verdict, w.detail) ? "not run" : std::string(result::to_string(w.verdict));
    j["comment"] = kcidb_text(w.name + " on kernel " + c_.labels[run_.kernel] + ", repetition " +
                              std::to_string(run_.repetition) + ": " + outcome);
    if (!w.detail.empty()) j["log_excerpt"] = kcidb_text(w.detail, k_log_excerpt_max);
    if (!not_run(w.verdict, w.detail)) set_duration(j, w.elapsed_s);
    name_workload(j, w);
    j["misc"]["verdict"] = result::to_string(w.verdict);
    return j;
  }

  nlohmann::json metric_test(const result::WorkloadResult& w, const std::string& name,
                             const result::MetricValue& v) const {
    auto j = base(workload_id(w) + ":" + id_part(name), workload_path(w) + "." + path_part(name), w.machine);
    const bool measured = !v.absent && std::isfinite(v.value);
    // DONE: the test produced a measurement and judges nothing (KCIDB's status for a number).
    // SKIP: the kernel has no such counter; nothing was measured.
    j["status"] = measured ? "DONE" : "SKIP";
    if (measured) {
      j["number"] = {{"value", v.value}};
      if (!v.unit.empty()) j["number"]["unit"] = kcidb_text(v.unit);
    }
    j["comment"] =
        kcidb_text(w.name + " " + name + " on kernel " + c_.labels[run_.kernel] + ", repetition " +
                   std::to_string(run_.repetition) + ": " +
                   (measured ? readable(v.value) + (v.unit.empty() ? "" : " " + v.unit) : "absent"));
    name_workload(j, w);
    j["misc"]["metric"] = kcidb_text(name);
    j["misc"]["better"] = model::to_string(v.better);
    j["misc"]["absent"] = !measured;
    if (const auto* m = metric_in(comparison_for(c_.report, run_.kernel), w.name, name))
      j["misc"]["comparison"] = comparison_json(*m);
    return j;
  }

  // The comparison of this metric over all repetitions, repeated on each repetition's test.
  nlohmann::json comparison_json(const compare::MetricComparison& m) const {
    nlohmann::json j{{"baseline", kcidb_text(c_.labels.front())},
                     {"change", compare::to_string(m.change)},
                     {"significant", m.significant}};
    const auto put = [&j](const char* key, std::optional<double> v) {
      if (v && std::isfinite(*v)) j[key] = *v;
    };
    put("baseline_mean", m.baseline.mean);
    put("mean", m.other.mean);
    put("ratio", m.ratio);
    put("percent_better", m.percent_better);
    put("p_value", m.p_value);
    if (m.ratio_interval) {
      nlohmann::json i = nlohmann::json::object();
      if (std::isfinite(m.ratio_interval->low)) i["low"] = m.ratio_interval->low;
      if (std::isfinite(m.ratio_interval->high)) i["high"] = m.ratio_interval->high;
      j["ratio_interval"] = i;  // an unbounded end is left out
    }
    if (m.method) j["method"] = compare::to_string(*m.method);
    if (!m.note.empty()) j["note"] = kcidb_text(m.note);
    return j;
  }

  const KcidbContext& c_;
  const CompareRun& run_;
  const result::RunResult& res_;
  std::string prefix_;
};

}  // namespace

nlohmann::json kcidb_tests(const KcidbContext& c) {
  auto tests = nlohmann::json::array();
  for (const auto& run : c.report.runs)
    if (run.result && run.kernel < c.report.kernels.size()) RunTests(c, run).append(tests);
  // Ids are unique by construction unless the report lists a run twice; keep them unique anyway.
  std::set<std::string> seen;
  for (auto& t : tests) {
    const std::string id = t["id"];
    std::string unique = id;
    for (int n = 2; !seen.insert(unique).second; ++n) unique = id + "#" + std::to_string(n);
    t["id"] = unique;
  }
  return tests;
}

}  // namespace numalab::report
