#pragma once
// What every subcommand shares: saying an error and choosing its exit status, whether progress
// may redraw a line, and opening the results store.

#include <filesystem>
#include <memory>

#include "store/store.hpp"
#include "util/error.hpp"

namespace numalab::cli {

// Prints "numalab: MESSAGE" to stderr; returns the exit status for the error's kind.
int report_error(const util::Error& e);

// A person at a terminal, not CI: progress may redraw its line.
bool interactive();

// RESULTS/numalab.db, creating RESULTS first.
util::Result<std::unique_ptr<store::ResultsStore>> open_store(const std::filesystem::path& results);

}  // namespace numalab::cli
