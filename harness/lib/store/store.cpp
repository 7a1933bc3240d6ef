#include "store/store.hpp"

#include <system_error>
#include <utility>

#include "store/orphaned_runs.hpp"
#include "store/run_claims.hpp"
#include "store/run_id.hpp"
#include "store/run_reader.hpp"
#include "store/run_writer.hpp"
#include "store/schema.hpp"
#include "store/sqlite_database.hpp"

namespace numalab::store {

struct ResultsStore::Impl {
  Database db;
  int version = 0;
  RunClaims claims;
  std::vector<OrphanedRun> orphaned;
};

namespace {

// RESULTS/ may not exist yet on a first run.
util::Result<void> create_parent_folder(const std::string& db_path) {
  if (db_path.empty() || db_path == k_in_memory) return {};
  const std::filesystem::path parent = std::filesystem::path(db_path).parent_path();
  if (parent.empty()) return {};
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (!ec) return {};
  return util::fail(util::ErrorKind::cannot_run, "results database " + db_path + ": cannot create folder " +
                                                     parent.string() + ": " + ec.message());
}

// RESULTS/locks: the lock files of the runs under way (store/run_claims.hpp). None in memory.
std::filesystem::path locks_folder(const std::string& db_path) {
  if (db_path.empty() || db_path == k_in_memory) return {};
  const auto parent = std::filesystem::path(db_path).parent_path();
  return (parent.empty() ? std::filesystem::path(".") : parent) / "locks";
}

}  // namespace

util::Result<std::unique_ptr<ResultsStore>> ResultsStore::open(const std::string& db_path) {
  if (auto ok = create_parent_folder(db_path); !ok) return std::unexpected(ok.error());
  auto db = Database::open(db_path);
  if (!db) return std::unexpected(db.error());
  auto version = migrate(*db);
  if (!version) return std::unexpected(version.error());
  auto impl = std::make_unique<Impl>(Impl{std::move(*db), *version, RunClaims(locks_folder(db_path)), {}});
  auto orphaned = mark_orphaned_runs(impl->db, impl->claims);
  if (!orphaned) return std::unexpected(orphaned.error());
  impl->orphaned = std::move(*orphaned);
  return std::unique_ptr<ResultsStore>(new ResultsStore(std::move(impl)));
}

ResultsStore::ResultsStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ResultsStore::~ResultsStore() = default;

util::Result<std::string> ResultsStore::begin_run(const std::string& lab, const std::string& lab_file,
                                                  const std::string& started_at) {
  std::string claimed;
  auto id = insert_running_run(impl_->db, lab, lab_file, started_at, [&](std::int64_t row) {
    claimed = format_run_id(row);
    return impl_->claims.claim(claimed);
  });
  if (!id) {
    if (!claimed.empty()) impl_->claims.release(claimed);  // rolled back: no such run
    return std::unexpected(id.error());
  }
  return format_run_id(*id);
}

util::Result<void> ResultsStore::finish_run(const result::RunResult& run) {
  if (auto ok = write_finished_run(impl_->db, run); !ok) return ok;
  impl_->claims.release(run.run_id);
  return {};
}

const std::vector<OrphanedRun>& ResultsStore::orphaned_runs() const { return impl_->orphaned; }

util::Result<std::vector<RunSummaryRow>> ResultsStore::list_runs(int limit) {
  return read_run_list(impl_->db, limit);
}

util::Result<std::optional<result::RunResult>> ResultsStore::load_run(const std::string& run_id) {
  return read_run(impl_->db, run_id);
}

int ResultsStore::schema_version() const { return impl_->version; }

util::Result<std::string> ResultsStore::begin_compare(const CompareRecord& record) {
  return insert_compare(impl_->db, record);
}

util::Result<void> ResultsStore::record_compare_run(const std::string& compare_id, int seq,
                                                    const std::string& run_id) {
  return set_compare_run(impl_->db, compare_id, seq, run_id);
}

util::Result<void> ResultsStore::end_compare(const std::string& compare_id, const std::string& state,
                                             double duration_s) {
  return set_compare_state(impl_->db, compare_id, state, duration_s);
}

util::Result<std::optional<CompareRecord>> ResultsStore::load_compare(const std::string& compare_id) {
  return read_compare(impl_->db, compare_id);
}

util::Result<std::vector<CompareSummaryRow>> ResultsStore::list_compares(int limit) {
  return read_compare_list(impl_->db, limit);
}

util::Result<std::vector<std::string>> ResultsStore::compares_of_lab(const std::string& lab,
                                                                     const std::string& lab_sha256) {
  return read_compares_of_lab(impl_->db, lab, lab_sha256);
}

}  // namespace numalab::store
