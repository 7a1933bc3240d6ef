#pragma once
// One SQLite connection, configured for numalab: foreign keys on, a 5 s busy timeout so several
// numalab processes can share a results database, WAL journal for files. Errors come back as
// util::Error{cannot_run, "results database PATH: <what went wrong>"}.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/sqlite_statement.hpp"
#include "util/error.hpp"

struct sqlite3;

namespace numalab::store {

inline constexpr std::chrono::milliseconds k_busy_timeout{5000};
inline constexpr const char* k_in_memory = ":memory:";

class Database {
 public:
  // Opens or creates the database at path (":memory:" for a private in-memory database).
  static util::Result<Database> open(const std::string& path);
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&&) = delete;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  util::Result<Statement> prepare(std::string_view sql) const;
  // Runs constant SQL (schema, pragmas, transaction control). Never pass text built from values.
  util::Result<void> exec(const char* sql) const;
  // Runs constant SQL that yields one integer, such as "PRAGMA user_version".
  util::Result<std::int64_t> query_int(const char* sql) const;

  std::int64_t last_insert_id() const;
  int changes() const;
  bool in_transaction() const;
  const std::string& path() const { return path_; }

  util::Error error() const;                       // SQLite's message for the last failure
  util::Error error(std::string_view what) const;  // "results database PATH: what"

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  util::Result<void> configure() const;
  util::Result<void> use_wal() const;

  sqlite3* db_;
  std::string path_;
};

// BEGIN ... COMMIT, rolled back when dropped uncommitted. Writes take the write lock at once
// (BEGIN IMMEDIATE) so a busy database is waited for up front, never half way through.
class Transaction {
 public:
  enum class Mode { read, write };
  static util::Result<Transaction> begin(const Database& db, Mode mode);
  ~Transaction();
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  util::Result<void> commit();

 private:
  explicit Transaction(const Database& db) : db_(&db) {}
  const Database* db_;
  bool open_ = true;
};

}  // namespace numalab::store
