#include "store/run_writer.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>

#include "store/run_id.hpp"

namespace numalab::store {

namespace {

using result::RunResult;

// Caught here with a message that names the culprit, instead of a bare constraint failure later.
util::Result<void> check_machine_names(const Database& db, const RunResult& run) {
  std::set<std::string_view> names;
  for (const auto& m : run.machines)
    if (!names.insert(m.name).second)
      return std::unexpected(db.error("run " + run.run_id + " lists machine '" + m.name + "' twice"));
  for (const auto& w : run.workloads)
    if (!names.contains(w.machine))
      return std::unexpected(db.error("run " + run.run_id + ": workload '" + w.name + "' ran on machine '" +
                                      w.machine + "', which the run has no machine result for"));
  return {};
}

util::Result<void> update_run_row(const Database& db, std::int64_t id, const RunResult& run) {
  auto update = db.prepare(
      "UPDATE runs SET lab = ?1, lab_file = ?2, started_at = ?3, duration_s = ?4, verdict = ?5, "
      "reason = ?6, run_dir = ?7 WHERE id = ?8");
  if (!update) return std::unexpected(update.error());
  update->bind(run.lab, run.lab_file, run.started_at, run.duration_s, to_string(run.verdict), run.reason,
               run.run_dir, id);
  if (auto ok = update->run(); !ok) return ok;
  if (db.changes() != 1)
    return std::unexpected(
        db.error("no run " + run.run_id + " to finish: begin_run did not record it, or it was deleted"));
  // Finishing a run again replaces its rows: workloads and metrics follow by ON DELETE CASCADE.
  auto clear = db.prepare("DELETE FROM machines WHERE run_id = ?1");
  if (!clear) return std::unexpected(clear.error());
  if (auto ok = clear->bind(id).run(); !ok) return ok;
  auto clear_faults = db.prepare("DELETE FROM faults WHERE run_id = ?1");
  if (!clear_faults) return std::unexpected(clear_faults.error());
  return clear_faults->bind(id).run();
}

util::Result<std::int64_t> upsert_kernel(const Database& db, Statement& upsert,
                                         const result::KernelIdentity& k) {
  upsert.bind(k.name, k.release, k.sha256, k.path);
  auto row = upsert.step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(db.error("storing kernel " + k.name + " returned no id"));
  const std::int64_t id = upsert.int64(0);
  if (auto done = upsert.step(); !done) return std::unexpected(done.error());
  return id;
}

util::Result<void> insert_kernel_reports(const Database& db, std::int64_t run_id,
                                         const result::MachineResult& m) {
  auto insert = db.prepare(
      "INSERT INTO kernel_reports (run_id, machine, seq, kind, title, first_line, task, pid, cpu, stack, "
      "console_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!insert) return std::unexpected(insert.error());
  for (std::size_t i = 0; i < m.kernel_reports.size(); ++i) {
    const auto& r = m.kernel_reports[i];
    const std::string stack =
        nlohmann::json(r.stack).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    insert->bind(run_id, m.name, static_cast<std::int64_t>(i), r.kind, r.title, r.first_line, r.task,
                 std::int64_t{r.pid}, std::int64_t{r.cpu}, stack, static_cast<std::int64_t>(r.line_number));
    if (auto ok = insert->run(); !ok) return ok;
  }
  return {};
}

util::Result<void> insert_machines(const Database& db, std::int64_t run_id, const RunResult& run) {
  auto upsert = db.prepare(
      "INSERT INTO kernels (name, release, sha256, path) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (name, sha256, release) DO UPDATE SET path = excluded.path RETURNING id");
  auto insert = db.prepare(
      "INSERT INTO machines (run_id, name, accel, accel_reason, boot_seconds, kernel_id, "
      "kernel_path, topology_seen, boot, startup_key, boot_note) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!upsert) return std::unexpected(upsert.error());
  if (!insert) return std::unexpected(insert.error());
  for (const auto& m : run.machines) {
    auto kernel_id = upsert_kernel(db, *upsert, m.kernel);
    if (!kernel_id) return std::unexpected(kernel_id.error());
    std::optional<std::string> topology;
    if (m.topology_seen) topology = nlohmann::json(*m.topology_seen).dump();
    insert->bind(run_id, m.name, m.accel, m.accel_reason, m.boot_seconds, *kernel_id, m.kernel.path, topology,
                 m.boot, m.startup_key, m.boot_note);
    if (auto ok = insert->run(); !ok) return ok;
    if (auto ok = insert_kernel_reports(db, run_id, m); !ok) return ok;
  }
  return {};
}

util::Result<void> insert_faults(const Database& db, std::int64_t run_id, const RunResult& run) {
  auto insert = db.prepare(
      "INSERT INTO faults (run_id, seq, kind, machine, network, planned_at_s, duration_s, applied_at_s, "
      "ended_at_s, first_progress_after_s, detail, after_counter) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
      "?9, ?10, "
      "?11, ?12)");
  if (!insert) return std::unexpected(insert.error());
  auto resumed = db.prepare(
      "INSERT INTO fault_resumed (run_id, fault_seq, machine, counter, after_s) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!resumed) return std::unexpected(resumed.error());
  for (std::size_t i = 0; i < run.faults.size(); ++i) {
    const auto& f = run.faults[i];
    insert->bind(run_id, static_cast<std::int64_t>(i), f.kind, f.machine, f.network, f.planned_at_s,
                 f.duration_s, f.applied_at_s, f.ended_at_s, f.first_progress_after_s, f.detail, f.after);
    if (auto ok = insert->run(); !ok) return ok;
    for (const auto& c : f.resumed) {
      resumed->bind(run_id, static_cast<std::int64_t>(i), c.machine, c.counter, c.after_s);
      if (auto ok = resumed->run(); !ok) return ok;
    }
  }
  return {};
}

util::Result<void> insert_workloads(const Database& db, std::int64_t run_id, const RunResult& run) {
  auto insert = db.prepare(
      "INSERT INTO workloads (run_id, machine, name, verdict, detail, elapsed_s) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  // A NaN value is stored as NULL by SQLite; the reader turns it back into NaN.
  auto insert_metric = db.prepare(
      "INSERT INTO metrics (workload_id, name, value, unit, better, absent) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  auto insert_sample =
      db.prepare("INSERT INTO samples (workload_id, name, seq, at_s, value) VALUES (?1, ?2, ?3, ?4, ?5)");
  auto insert_state =
      db.prepare("INSERT INTO workload_state (workload_id, seq, kind, text) VALUES (?1, ?2, ?3, ?4)");
  if (!insert) return std::unexpected(insert.error());
  if (!insert_state) return std::unexpected(insert_state.error());
  if (!insert_metric) return std::unexpected(insert_metric.error());
  if (!insert_sample) return std::unexpected(insert_sample.error());
  for (const auto& w : run.workloads) {
    insert->bind(run_id, w.machine, w.name, to_string(w.verdict), w.detail, w.elapsed_s);
    if (auto ok = insert->run(); !ok) return ok;
    const std::int64_t workload_id = db.last_insert_id();
    for (const auto& [name, metric] : w.metrics) {
      const double value = metric.absent ? std::numeric_limits<double>::quiet_NaN() : metric.value;
      insert_metric->bind(workload_id, name, value, metric.unit, model::to_string(metric.better),
                          std::int64_t{metric.absent ? 1 : 0});
      if (auto ok = insert_metric->run(); !ok) return ok;
    }
    for (const auto& [name, points] : w.series) {
      for (std::size_t i = 0; i < points.size(); ++i) {
        insert_sample->bind(workload_id, name, static_cast<std::int64_t>(i), points[i].at_s, points[i].value);
        if (auto ok = insert_sample->run(); !ok) return ok;
      }
    }
    std::int64_t seq = 0;
    for (const auto& [kind, lines] : {std::pair{"restored", &w.restored}, std::pair{"left", &w.left}})
      for (const auto& text : *lines) {
        insert_state->bind(workload_id, seq++, std::string(kind), text);
        if (auto ok = insert_state->run(); !ok) return ok;
      }
  }
  return {};
}

}  // namespace

util::Result<std::int64_t> insert_running_run(const Database& db, const std::string& lab,
                                              const std::string& lab_file, const std::string& started_at,
                                              const std::function<util::Result<void>(std::int64_t)>& claim) {
  auto tx = Transaction::begin(db, Transaction::Mode::write);
  if (!tx) return std::unexpected(tx.error());
  auto insert =
      db.prepare("INSERT INTO runs (lab, lab_file, started_at, verdict) VALUES (?1, ?2, ?3, 'running')");
  if (!insert) return std::unexpected(insert.error());
  if (auto ok = insert->bind(lab, lab_file, started_at).run(); !ok) return std::unexpected(ok.error());
  const std::int64_t id = db.last_insert_id();
  if (auto ok = claim(id); !ok) return std::unexpected(ok.error());
  if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
  return id;
}

util::Result<void> write_finished_run(const Database& db, const RunResult& run) {
  const auto id = parse_run_id(run.run_id);
  if (!id)
    return std::unexpected(
        db.error("cannot record run '" + run.run_id + "': not a run id that begin_run returned"));
  if (auto ok = check_machine_names(db, run); !ok) return ok;
  auto tx = Transaction::begin(db, Transaction::Mode::write);
  if (!tx) return std::unexpected(tx.error());
  if (auto ok = update_run_row(db, *id, run); !ok) return ok;
  if (auto ok = insert_machines(db, *id, run); !ok) return ok;
  if (auto ok = insert_workloads(db, *id, run); !ok) return ok;
  if (auto ok = insert_faults(db, *id, run); !ok) return ok;
  return tx->commit();
}

}  // namespace numalab::store
