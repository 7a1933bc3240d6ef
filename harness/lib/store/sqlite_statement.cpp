#include "store/sqlite_statement.hpp"

#include <sqlite3.h>

#include <utility>

#include "store/sqlite_database.hpp"

namespace numalab::store {

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}

void Statement::rebind() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

void Statement::note_bind(int rc) {
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::bind_value(int index, int value) { note_bind(sqlite3_bind_int(stmt_, index, value)); }

void Statement::bind_value(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
}

void Statement::bind_value(int index, double value) { note_bind(sqlite3_bind_double(stmt_, index, value)); }

void Statement::bind_value(int index, std::string_view value) {
  note_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void Statement::bind_value(int index, std::nullptr_t) { note_bind(sqlite3_bind_null(stmt_, index)); }

void Statement::bind_value(int index, const std::optional<double>& value) {
  if (value)
    bind_value(index, *value);
  else
    bind_value(index, nullptr);
}

void Statement::bind_value(int index, const std::optional<std::string>& value) {
  if (value)
    bind_value(index, std::string_view(*value));
  else
    bind_value(index, nullptr);
}

util::Result<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK) return std::unexpected(db_->error(sqlite3_errstr(bind_rc_)));
  switch (sqlite3_step(stmt_)) {
    case SQLITE_ROW:
      return true;
    case SQLITE_DONE:
      return false;
    default:
      return std::unexpected(db_->error());
  }
}

util::Result<void> Statement::run() {
  auto row = step();
  if (!row) return std::unexpected(row.error());
  sqlite3_reset(stmt_);
  return {};
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text(int column) const {
  // Text first, then bytes: the documented order that makes the length match the pointer.
  const auto* chars = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
  return chars == nullptr ? std::string() : std::string(chars, size);
}

}  // namespace numalab::store
