#include "cli/cli_support.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/exit_status.hpp"

namespace numalab::cli {

int report_error(const util::Error& e) {
  std::cerr << "numalab: " << e.message << "\n";
  return exit_status_for(e);
}

bool interactive() { return ::isatty(STDERR_FILENO) == 1 && std::getenv("CI") == nullptr; }

util::Result<std::unique_ptr<store::ResultsStore>> open_store(const std::filesystem::path& results) {
  std::error_code ec;
  std::filesystem::create_directories(results, ec);
  if (ec)
    return util::fail(util::ErrorKind::cannot_run, "cannot create " + results.string() + ": " + ec.message());
  return store::ResultsStore::open((results / "numalab.db").string());
}

}  // namespace numalab::cli
