#include "store/compare_store.hpp"

#include <fmt/format.h>

#include <charconv>

#include "store/run_id.hpp"

namespace numalab::store {

namespace {

util::Result<std::int64_t> id_of(const Database& db, const std::string& compare_id) {
  auto id = parse_compare_id(compare_id);
  if (!id) return std::unexpected(db.error("'" + compare_id + "' is not a compare id (like c0001)"));
  return *id;
}

util::Result<void> insert_plan(const Database& db, std::int64_t id, const std::vector<ComparePlanRow>& plan) {
  auto insert = db.prepare(
      "INSERT INTO compare_runs (compare_id, seq, kernel, repetition, run_id) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!insert) return std::unexpected(insert.error());
  for (const auto& row : plan) {
    std::optional<std::int64_t> run;
    if (row.run_id) run = parse_run_id(*row.run_id);
    if (run)
      insert->bind(id, row.seq, row.kernel, row.repetition, *run);
    else
      insert->bind(id, row.seq, row.kernel, row.repetition, nullptr);
    if (auto ok = insert->run(); !ok) return ok;
  }
  return {};
}

}  // namespace

std::string format_compare_id(std::int64_t id) { return "c" + fmt::format("{:04d}", id); }

std::optional<std::int64_t> parse_compare_id(std::string_view text) {
  if (!text.empty() && (text.front() == 'c' || text.front() == 'C')) text.remove_prefix(1);
  return parse_run_id(text);
}

util::Result<std::string> insert_compare(const Database& db, const CompareRecord& r) {
  auto tx = Transaction::begin(db, Transaction::Mode::write);
  if (!tx) return std::unexpected(tx.error());
  auto insert = db.prepare(
      "INSERT INTO compares (lab, lab_file, lab_sha256, started_at, duration_s, repeat, state, options, "
      "kernels, "
      "machines) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!insert) return std::unexpected(insert.error());
  insert->bind(r.lab, r.lab_file, r.lab_sha256, r.started_at, r.duration_s, r.repeat, r.state,
               r.options.dump(), r.kernels.dump(), r.machines.dump());
  if (auto ok = insert->run(); !ok) return std::unexpected(ok.error());
  const std::int64_t id = db.last_insert_id();
  if (auto ok = insert_plan(db, id, r.plan); !ok) return std::unexpected(ok.error());
  if (auto ok = tx->commit(); !ok) return std::unexpected(ok.error());
  return format_compare_id(id);
}

util::Result<void> set_compare_run(const Database& db, const std::string& compare_id, int seq,
                                   const std::string& run_id) {
  auto id = id_of(db, compare_id);
  if (!id) return std::unexpected(id.error());
  auto run = parse_run_id(run_id);
  if (!run) return std::unexpected(db.error("'" + run_id + "' is not a run id"));
  auto update = db.prepare("UPDATE compare_runs SET run_id = ?1 WHERE compare_id = ?2 AND seq = ?3");
  if (!update) return std::unexpected(update.error());
  if (auto ok = update->bind(*run, *id, seq).run(); !ok) return ok;
  if (db.changes() != 1)
    return std::unexpected(db.error("compare " + compare_id + " has no planned run " + std::to_string(seq)));
  return {};
}

util::Result<void> set_compare_state(const Database& db, const std::string& compare_id,
                                     const std::string& state, double duration_s) {
  auto id = id_of(db, compare_id);
  if (!id) return std::unexpected(id.error());
  auto update = db.prepare("UPDATE compares SET state = ?1, duration_s = ?2 WHERE id = ?3");
  if (!update) return std::unexpected(update.error());
  return update->bind(state, duration_s, *id).run();
}

util::Result<std::optional<CompareRecord>> read_compare(const Database& db, const std::string& compare_id) {
  auto id = parse_compare_id(compare_id);
  if (!id) return std::optional<CompareRecord>{};
  auto tx = Transaction::begin(db, Transaction::Mode::read);
  if (!tx) return std::unexpected(tx.error());
  auto select = db.prepare(
      "SELECT lab, lab_file, lab_sha256, started_at, duration_s, repeat, state, options, kernels, machines "
      "FROM compares WHERE id = ?1");
  if (!select) return std::unexpected(select.error());
  select->bind(*id);
  auto row = select->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<CompareRecord>{};
  CompareRecord r;
  r.compare_id = format_compare_id(*id);
  r.lab = select->text(0);
  r.lab_file = select->text(1);
  r.lab_sha256 = select->text(2);
  r.started_at = select->text(3);
  r.duration_s = select->real(4);
  r.repeat = static_cast<int>(select->int64(5));
  r.state = select->text(6);
  // json_valid() checked these on the way in.
  r.options = nlohmann::json::parse(select->text(7), nullptr, false);
  r.kernels = nlohmann::json::parse(select->text(8), nullptr, false);
  r.machines = nlohmann::json::parse(select->text(9), nullptr, false);
  auto plan = db.prepare(
      "SELECT seq, kernel, repetition, run_id FROM compare_runs WHERE compare_id = ?1 ORDER BY seq");
  if (!plan) return std::unexpected(plan.error());
  plan->bind(*id);
  for (;;) {
    auto next = plan->step();
    if (!next) return std::unexpected(next.error());
    if (!*next) break;
    ComparePlanRow p;
    p.seq = static_cast<int>(plan->int64(0));
    p.kernel = static_cast<int>(plan->int64(1));
    p.repetition = static_cast<int>(plan->int64(2));
    if (!plan->is_null(3)) p.run_id = format_run_id(plan->int64(3));
    r.plan.push_back(p);
  }
  return std::optional<CompareRecord>{std::move(r)};
}

util::Result<std::vector<CompareSummaryRow>> read_compare_list(const Database& db, int limit) {
  auto select = db.prepare(
      "SELECT c.id, c.lab, c.started_at, c.state, c.kernels, c.repeat, "
      "(SELECT count(*) FROM compare_runs r WHERE r.compare_id = c.id AND r.run_id IS NOT NULL), "
      "(SELECT count(*) FROM compare_runs r WHERE r.compare_id = c.id) "
      "FROM compares c ORDER BY c.id DESC LIMIT ?1");
  if (!select) return std::unexpected(select.error());
  select->bind(limit);
  std::vector<CompareSummaryRow> rows;
  for (;;) {
    auto next = select->step();
    if (!next) return std::unexpected(next.error());
    if (!*next) break;
    CompareSummaryRow row;
    row.compare_id = format_compare_id(select->int64(0));
    row.lab = select->text(1);
    row.started_at = select->text(2);
    row.state = select->text(3);
    auto kernels = nlohmann::json::parse(select->text(4), nullptr, false);
    if (kernels.is_array())
      for (const auto& k : kernels)
        if (k.is_object() && k.contains("name") && k["name"].is_string())
          row.kernels += (row.kernels.empty() ? "" : ",") + k["name"].get<std::string>();
    row.repeat = static_cast<int>(select->int64(5));
    row.runs_done = static_cast<int>(select->int64(6));
    row.runs_planned = static_cast<int>(select->int64(7));
    rows.push_back(std::move(row));
  }
  return rows;
}

util::Result<std::vector<std::string>> read_compares_of_lab(const Database& db, const std::string& lab,
                                                            const std::string& lab_sha256) {
  auto select = db.prepare("SELECT id FROM compares WHERE lab = ?1 OR lab_sha256 = ?2 ORDER BY id");
  if (!select) return std::unexpected(select.error());
  select->bind(lab, lab_sha256);
  std::vector<std::string> ids;
  for (;;) {
    auto next = select->step();
    if (!next) return std::unexpected(next.error());
    if (!*next) break;
    ids.push_back(format_compare_id(select->int64(0)));
  }
  return ids;
}

}  // namespace numalab::store
