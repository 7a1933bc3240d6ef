#include "store/sqlite_database.hpp"

#include <sqlite3.h>

#include <thread>
#include <utility>

namespace numalab::store {

namespace {
constexpr std::chrono::milliseconds k_wal_retry{10};
}

util::Result<Database> Database::open(const std::string& path) {
  sqlite3* handle = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  // Even a failed open usually allocates a handle, which carries the message and must be closed.
  Database db(handle, path);
  if (handle == nullptr) return std::unexpected(db.error(sqlite3_errstr(rc)));
  if (rc != SQLITE_OK) return std::unexpected(db.error());
  if (auto ok = db.configure(); !ok) return std::unexpected(ok.error());
  return db;
}

util::Result<void> Database::configure() const {
  sqlite3_extended_result_codes(db_, 1);
  if (sqlite3_busy_timeout(db_, static_cast<int>(k_busy_timeout.count())) != SQLITE_OK)
    return std::unexpected(error());
  // The first statement that reads the file: a file that is not a database fails here.
  if (auto ok = exec("PRAGMA foreign_keys = ON"); !ok) return ok;
  if (path_ == k_in_memory || path_.empty()) return {};
  return use_wal();
}

util::Result<void> Database::use_wal() const {
  // WAL is persistent in the file; on a file system without shared memory support SQLite keeps
  // its rollback journal, which is slower under concurrency but still correct. While another
  // connection converts a new database, SQLite reports busy without calling the busy handler, so
  // this retries until the same deadline the busy timeout gives every other statement.
  const auto deadline = std::chrono::steady_clock::now() + k_busy_timeout;
  for (;;) {
    const int rc = sqlite3_exec(db_, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return {};
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline)
      return std::unexpected(error());
    std::this_thread::sleep_for(k_wal_retry);
  }
}

Database::~Database() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

util::Result<Statement> Database::prepare(std::string_view sql) const {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    if (stmt != nullptr) sqlite3_finalize(stmt);
    return std::unexpected(error());
  }
  return Statement(*this, stmt);
}

util::Result<void> Database::exec(const char* sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK) return {};
  util::Error e = error(message != nullptr ? message : sqlite3_errmsg(db_));
  sqlite3_free(message);
  return std::unexpected(std::move(e));
}

util::Result<std::int64_t> Database::query_int(const char* sql) const {
  auto stmt = prepare(sql);
  if (!stmt) return std::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(error(std::string(sql) + " returned no row"));
  return stmt->int64(0);
}

std::int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

util::Error Database::error() const { return error(db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory"); }

util::Error Database::error(std::string_view what) const {
  return util::Error{util::ErrorKind::cannot_run, "results database " + path_ + ": " + std::string(what)};
}

util::Result<Transaction> Transaction::begin(const Database& db, Mode mode) {
  if (auto ok = db.exec(mode == Mode::write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"); !ok)
    return std::unexpected(ok.error());
  return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(other.db_), open_(std::exchange(other.open_, false)) {}

util::Result<void> Transaction::commit() {
  auto ok = db_->exec("COMMIT");
  if (ok) open_ = false;
  return ok;
}

Transaction::~Transaction() {
  // SQLite may already have rolled back by itself (a full disk, an I/O error): then there is
  // nothing left to undo.
  if (open_ && db_->in_transaction()) (void)db_->exec("ROLLBACK");
}

}  // namespace numalab::store
