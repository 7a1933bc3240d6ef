#pragma once
// A prepared SQLite statement that finalizes itself. Values only ever reach SQL as bound parameters
// (?1, ?2, ...), never as text spliced into a statement.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.hpp"

struct sqlite3_stmt;

namespace numalab::store {

class Database;

class Statement {
 public:
  Statement(const Database& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Resets the statement and binds args to ?1..?N, so a statement can be reused in a loop.
  template <class... Args>
  Statement& bind(const Args&... args) {
    rebind();
    int index = 0;
    (bind_value(++index, args), ...);
    return *this;
  }

  util::Result<bool> step();  // true: a row is ready to read
  util::Result<void> run();   // steps once, for statements that return no rows

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;

 private:
  void rebind();
  void bind_value(int index, int value);
  void bind_value(int index, std::int64_t value);
  void bind_value(int index, double value);
  void bind_value(int index, std::string_view value);
  void bind_value(int index, const std::string& value) { bind_value(index, std::string_view(value)); }
  void bind_value(int index, const char* value) { bind_value(index, std::string_view(value)); }
  void bind_value(int index, std::nullptr_t);
  void bind_value(int index, const std::optional<std::string>& value);  // NULL when empty
  void bind_value(int index, const std::optional<double>& value);       // NULL when empty
  void note_bind(int rc);

  const Database* db_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = 0;  // the first failed bind, reported by the next step()
};

}  // namespace numalab::store
