#pragma once
// Reading runs back from the results database, each read in one transaction (one snapshot).

#include <optional>
#include <string_view>
#include <vector>

#include "result/run_result.hpp"
#include "store/sqlite_database.hpp"
#include "store/store.hpp"
#include "util/error.hpp"

namespace numalab::store {

// The reason a run that never finished reports: its row still says "running".
inline constexpr const char* k_unfinished_reason =
    "the run did not finish: it is still running, or numalab stopped before recording it";

// The run as write_finished_run stored it; nullopt when there is no such run.
util::Result<std::optional<result::RunResult>> read_run(const Database& db, std::string_view run_id);

// Newest first; limit < 0 lists every run.
util::Result<std::vector<RunSummaryRow>> read_run_list(const Database& db, int limit);

}  // namespace numalab::store
