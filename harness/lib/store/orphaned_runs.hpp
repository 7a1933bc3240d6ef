#pragma once
// Runs left "running" by a numalab that is gone (killed with SIGKILL, crashed, its machine
// rebooted): found when the store is opened, and recorded as error with the reason, so that
// `numalab list` does not show them running forever.

#include <cstdint>
#include <string>
#include <vector>

#include "store/run_claims.hpp"
#include "store/sqlite_database.hpp"
#include "store/store.hpp"
#include "util/error.hpp"

namespace numalab::store {

// "interrupted: the numalab that ran it (pid 4242) is gone"
std::string orphaned_reason(std::int64_t pid);

// Marks every running run whose owner is gone (RunClaims::take_over_if_gone) as error, and
// returns those this call marked (another numalab opening the store at the same time may mark
// some first). Runs of live numalab processes, this one included, are left alone.
util::Result<std::vector<OrphanedRun>> mark_orphaned_runs(const Database& db, RunClaims& claims);

}  // namespace numalab::store
