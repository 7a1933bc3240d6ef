#pragma once
// Writing runs into the results database, each write in one transaction.

#include <cstdint>
#include <functional>
#include <string>

#include "result/run_result.hpp"
#include "store/sqlite_database.hpp"
#include "util/error.hpp"

namespace numalab::store {

// Inserts a run in state "running" and returns its row id. `claim` runs before the insert is
// committed: no other connection sees the run before its owner has claimed it.
util::Result<std::int64_t> insert_running_run(const Database& db, const std::string& lab,
                                              const std::string& lab_file, const std::string& started_at,
                                              const std::function<util::Result<void>(std::int64_t)>& claim);

// Records a finished run under run.run_id (from insert_running_run): the run row, its machines and
// their kernels, its workloads and their metrics. Finishing a run again replaces what it had.
util::Result<void> write_finished_run(const Database& db, const result::RunResult& run);

}  // namespace numalab::store
