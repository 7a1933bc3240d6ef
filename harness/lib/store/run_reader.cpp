#include "store/run_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "store/run_id.hpp"

namespace numalab::store {

namespace {

using result::RunResult;
using result::Verdict;

util::Result<Verdict> verdict_column(const Database& db, const Statement& row, int column) {
  const std::string text = row.text(column);
  if (auto v = result::verdict_from_string(text)) return *v;
  return std::unexpected(db.error("unknown verdict '" + text + "'"));
}

util::Result<std::optional<model::Topology>> topology_column(const Database& db, const Statement& row,
                                                             int column) {
  if (row.is_null(column)) return std::nullopt;
  try {
    return nlohmann::json::parse(row.text(column)).get<model::Topology>();
  } catch (const nlohmann::json::exception& e) {
    return std::unexpected(db.error(std::string("a stored topology does not read back: ") + e.what()));
  }
}

util::Result<std::optional<RunResult>> read_run_row(const Database& db, std::int64_t id) {
  auto select = db.prepare(
      "SELECT lab, lab_file, started_at, duration_s, verdict, reason, run_dir FROM runs "
      "WHERE id = ?1");
  if (!select) return std::unexpected(select.error());
  auto row = select->bind(id).step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::nullopt;
  RunResult run;
  run.run_id = format_run_id(id);
  run.lab = select->text(0);
  run.lab_file = select->text(1);
  run.started_at = select->text(2);
  run.duration_s = select->real(3);
  run.reason = select->text(5);
  run.run_dir = select->text(6);
  if (select->text(4) == "running") {
    run.verdict = Verdict::error;
    if (run.reason.empty()) run.reason = k_unfinished_reason;
    return run;
  }
  auto verdict = verdict_column(db, *select, 4);
  if (!verdict) return std::unexpected(verdict.error());
  run.verdict = *verdict;
  return run;
}

util::Result<void> read_machines(const Database& db, std::int64_t id, RunResult& run) {
  auto select = db.prepare(
      "SELECT m.name, m.accel, m.accel_reason, m.boot_seconds, k.name, k.release, k.sha256, "
      "m.kernel_path, m.topology_seen, m.boot, m.startup_key, m.boot_note FROM machines AS m JOIN kernels AS "
      "k ON k.id = m.kernel_id "
      "WHERE m.run_id = ?1 ORDER BY m.id");
  if (!select) return std::unexpected(select.error());
  select->bind(id);
  auto row = select->step();
  for (; row && *row; row = select->step()) {
    auto topology = topology_column(db, *select, 8);
    if (!topology) return std::unexpected(topology.error());
    run.machines.push_back({.name = select->text(0),
                            .accel = select->text(1),
                            .accel_reason = select->text(2),
                            .boot_seconds = select->real(3),
                            .boot = select->text(9),
                            .startup_key = select->text(10),
                            .boot_note = select->text(11),
                            .kernel = {.name = select->text(4),
                                       .release = select->text(5),
                                       .sha256 = select->text(6),
                                       .path = select->text(7)},
                            .topology_seen = std::move(*topology),
                            .kernel_reports = {}});
  }
  if (!row) return std::unexpected(row.error());
  return {};
}

util::Result<void> read_kernel_reports(const Database& db, std::int64_t id, RunResult& run) {
  auto select = db.prepare(
      "SELECT machine, kind, title, first_line, task, pid, cpu, stack, console_line FROM kernel_reports "
      "WHERE run_id = ?1 ORDER BY machine, seq");
  if (!select) return std::unexpected(select.error());
  select->bind(id);
  auto row = select->step();
  for (; row && *row; row = select->step()) {
    monitor::KernelReport r;
    r.kind = select->text(1);
    r.title = select->text(2);
    r.first_line = select->text(3);
    r.task = select->text(4);
    r.pid = static_cast<int>(select->int64(5));
    r.cpu = static_cast<int>(select->int64(6));
    auto stack = nlohmann::json::parse(select->text(7), nullptr, false);
    if (stack.is_array())
      for (const auto& frame : stack)
        if (frame.is_string()) r.stack.push_back(frame.get<std::string>());
    r.line_number = static_cast<std::uint64_t>(select->int64(8));
    const std::string machine = select->text(0);
    for (auto& m : run.machines)
      if (m.name == machine) {
        m.kernel_reports.push_back(std::move(r));
        break;
      }
  }
  if (!row) return std::unexpected(row.error());
  return {};
}

util::Result<void> read_faults(const Database& db, std::int64_t id, RunResult& run) {
  auto select = db.prepare(
      "SELECT kind, machine, network, planned_at_s, duration_s, applied_at_s, ended_at_s, "
      "first_progress_after_s, detail, after_counter FROM faults WHERE run_id = ?1 ORDER BY seq");
  if (!select) return std::unexpected(select.error());
  select->bind(id);
  auto optional_real = [&](int column) -> std::optional<double> {
    if (select->is_null(column)) return std::nullopt;
    return select->real(column);
  };
  auto row = select->step();
  for (; row && *row; row = select->step()) {
    result::FaultRecord f;
    f.kind = select->text(0);
    f.machine = select->text(1);
    f.network = select->text(2);
    f.planned_at_s = select->real(3);
    f.duration_s = select->real(4);
    f.applied_at_s = optional_real(5);
    f.ended_at_s = optional_real(6);
    f.first_progress_after_s = optional_real(7);
    f.detail = select->text(8);
    f.after = select->text(9);
    run.faults.push_back(std::move(f));
  }
  if (!row) return std::unexpected(row.error());
  auto resumed = db.prepare(
      "SELECT fault_seq, machine, counter, after_s FROM fault_resumed WHERE run_id = ?1 ORDER BY fault_seq, "
      "after_s");
  if (!resumed) return std::unexpected(resumed.error());
  resumed->bind(id);
  for (row = resumed->step(); row && *row; row = resumed->step()) {
    const auto seq = static_cast<std::size_t>(resumed->int64(0));
    if (seq < run.faults.size())
      run.faults[seq].resumed.push_back({resumed->text(1), resumed->text(2), resumed->real(3)});
  }
  if (!row) return std::unexpected(row.error());
  return {};
}

util::Result<void> read_workloads(const Database& db, std::int64_t id, RunResult& run) {
  auto select = db.prepare(
      "SELECT id, machine, name, verdict, detail, elapsed_s FROM workloads WHERE run_id = ?1 "
      "ORDER BY id");
  if (!select) return std::unexpected(select.error());
  std::map<std::int64_t, std::size_t> index_of;  // workload row id -> position in run.workloads
  select->bind(id);
  auto row = select->step();
  for (; row && *row; row = select->step()) {
    auto verdict = verdict_column(db, *select, 3);
    if (!verdict) return std::unexpected(verdict.error());
    index_of[select->int64(0)] = run.workloads.size();
    run.workloads.push_back({.name = select->text(2),
                             .machine = select->text(1),
                             .verdict = *verdict,
                             .detail = select->text(4),
                             .elapsed_s = select->real(5),
                             .metrics = {},
                             .series = {},
                             .restored = {},
                             .left = {}});
  }
  if (!row) return std::unexpected(row.error());

  auto metrics = db.prepare(
      "SELECT mt.workload_id, mt.name, mt.value, mt.unit, mt.better, mt.absent FROM metrics AS mt "
      "JOIN workloads AS w ON w.id = mt.workload_id WHERE w.run_id = ?1");
  if (!metrics) return std::unexpected(metrics.error());
  metrics->bind(id);
  for (row = metrics->step(); row && *row; row = metrics->step()) {
    const double value = metrics->is_null(2) ? std::numeric_limits<double>::quiet_NaN() : metrics->real(2);
    const auto workload = index_of.find(metrics->int64(0));
    if (workload == index_of.end()) return std::unexpected(db.error("a metric lost its workload"));
    run.workloads[workload->second].metrics[metrics->text(1)] = {
        .value = value,
        .unit = metrics->text(3),
        .better = model::better_from_string(metrics->text(4)).value_or(model::Better::none),
        .absent = metrics->int64(5) != 0};
  }
  if (!row) return std::unexpected(row.error());

  auto samples = db.prepare(
      "SELECT s.workload_id, s.name, s.at_s, s.value FROM samples AS s "
      "JOIN workloads AS w ON w.id = s.workload_id WHERE w.run_id = ?1 ORDER BY s.workload_id, s.name, "
      "s.seq");
  if (!samples) return std::unexpected(samples.error());
  samples->bind(id);
  for (row = samples->step(); row && *row; row = samples->step()) {
    const auto workload = index_of.find(samples->int64(0));
    if (workload == index_of.end()) return std::unexpected(db.error("a sample lost its workload"));
    const double value = samples->is_null(3) ? std::numeric_limits<double>::quiet_NaN() : samples->real(3);
    run.workloads[workload->second].series[samples->text(1)].push_back({samples->real(2), value});
  }
  if (!row) return std::unexpected(row.error());

  auto states = db.prepare(
      "SELECT s.workload_id, s.kind, s.text FROM workload_state AS s "
      "JOIN workloads AS w ON w.id = s.workload_id WHERE w.run_id = ?1 ORDER BY s.workload_id, s.seq");
  if (!states) return std::unexpected(states.error());
  states->bind(id);
  for (row = states->step(); row && *row; row = states->step()) {
    const auto workload = index_of.find(states->int64(0));
    if (workload == index_of.end()) return std::unexpected(db.error("a state line lost its workload"));
    auto& w = run.workloads[workload->second];
    (states->text(1) == "left" ? w.left : w.restored).push_back(states->text(2));
  }
  if (!row) return std::unexpected(row.error());
  return {};
}

}  // namespace

util::Result<std::optional<RunResult>> read_run(const Database& db, std::string_view run_id) {
  const auto id = parse_run_id(run_id);
  if (!id) return std::nullopt;
  auto tx = Transaction::begin(db, Transaction::Mode::read);
  if (!tx) return std::unexpected(tx.error());
  auto run = read_run_row(db, *id);
  if (!run || !*run) return run;
  if (auto ok = read_machines(db, *id, **run); !ok) return std::unexpected(ok.error());
  if (auto ok = read_workloads(db, *id, **run); !ok) return std::unexpected(ok.error());
  if (auto ok = read_kernel_reports(db, *id, **run); !ok) return std::unexpected(ok.error());
  if (auto ok = read_faults(db, *id, **run); !ok) return std::unexpected(ok.error());
  if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
  return run;
}

util::Result<std::vector<RunSummaryRow>> read_run_list(const Database& db, int limit) {
  auto tx = Transaction::begin(db, Transaction::Mode::read);
  if (!tx) return std::unexpected(tx.error());
  // One row per machine (or one for a run without machines), newest run first, machines in order.
  auto select = db.prepare(
      "SELECT r.id, r.lab, r.started_at, r.verdict, r.duration_s, k.name "
      "FROM (SELECT * FROM runs ORDER BY id DESC LIMIT ?1) AS r "
      "LEFT JOIN machines AS m ON m.run_id = r.id LEFT JOIN kernels AS k ON k.id = m.kernel_id "
      "ORDER BY r.id DESC, m.id");
  if (!select) return std::unexpected(select.error());
  std::vector<RunSummaryRow> runs;
  std::vector<std::string> kernels;  // of the last run in runs
  select->bind(limit);
  auto row = select->step();
  for (; row && *row; row = select->step()) {
    const std::string run_id = format_run_id(select->int64(0));
    if (runs.empty() || runs.back().run_id != run_id) {
      runs.push_back({.run_id = run_id,
                      .lab = select->text(1),
                      .started_at = select->text(2),
                      .verdict = select->text(3),
                      .duration_s = select->real(4),
                      .kernels = {}});
      kernels.clear();
    }
    const std::string kernel = select->text(5);
    if (select->is_null(5) || std::ranges::find(kernels, kernel) != kernels.end()) continue;
    kernels.push_back(kernel);
    runs.back().kernels += (kernels.size() > 1 ? "," : "") + kernel;
  }
  if (!row) return std::unexpected(row.error());
  if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
  return runs;
}

}  // namespace numalab::store
