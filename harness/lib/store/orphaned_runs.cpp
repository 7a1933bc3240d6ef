#include "store/orphaned_runs.hpp"

#include "store/run_id.hpp"

namespace numalab::store {

namespace {

util::Result<std::vector<OrphanedRun>> running_runs(const Database& db) {
  auto select = db.prepare("SELECT id, lab, started_at FROM runs WHERE verdict = 'running' ORDER BY id");
  if (!select) return std::unexpected(select.error());
  std::vector<OrphanedRun> out;
  auto row = select->step();
  for (; row && *row; row = select->step())
    out.push_back({format_run_id(select->int64(0)), select->text(1), select->text(2), 0});
  if (!row) return std::unexpected(row.error());
  return out;
}

// Only a run still running: its owner may have recorded its end since it was listed.
util::Result<bool> mark_error(const Database& db, const OrphanedRun& run) {
  auto update =
      db.prepare("UPDATE runs SET verdict = 'error', reason = ?1 WHERE id = ?2 AND verdict = 'running'");
  if (!update) return std::unexpected(update.error());
  if (auto ok = update->bind(orphaned_reason(run.pid), *parse_run_id(run.run_id)).run(); !ok)
    return std::unexpected(ok.error());
  return db.changes() == 1;
}

}  // namespace

std::string orphaned_reason(std::int64_t pid) {
  return pid > 0 ? "interrupted: the numalab that ran it (pid " + std::to_string(pid) + ") is gone"
                 : "interrupted: the numalab that ran it is gone";
}

util::Result<std::vector<OrphanedRun>> mark_orphaned_runs(const Database& db, RunClaims& claims) {
  auto running = running_runs(db);
  if (!running) return std::unexpected(running.error());
  std::vector<OrphanedRun> marked;
  for (auto& run : *running) {
    const auto pid = claims.take_over_if_gone(run.run_id);
    if (!pid) continue;
    run.pid = *pid;
    auto changed = mark_error(db, run);
    if (!changed) {
      claims.let_go(run.run_id);  // still running in the database: the next open tries again
      return std::unexpected(changed.error());
    }
    claims.release(run.run_id);  // marked now, or finished meanwhile: nobody runs it
    if (*changed) marked.push_back(run);
  }
  return marked;
}

}  // namespace numalab::store
