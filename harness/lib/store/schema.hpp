#pragma once
// The results database schema and its forward migrations. PRAGMA user_version holds the number of
// migration steps applied; step N takes a version N-1 database to version N. Never edit a step
// that has shipped: add a new one and raise store::k_schema_version.

#include <span>

#include "store/sqlite_database.hpp"
#include "util/error.hpp"

namespace numalab::store {

struct Migration {
  int version;      // the schema version this step produces
  const char* sql;  // constant DDL, run inside the step's transaction
};

std::span<const Migration> migrations();

// Brings db up to k_schema_version, one transaction per step, and returns the version. A database
// newer than this numalab is refused. Safe when several processes open a new database at once:
// each step re-reads the version under the write lock.
util::Result<int> migrate(const Database& db);

}  // namespace numalab::store
