#include "cli/cli_support.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_status.hpp"
#include "util/cache_dir.hpp"

namespace numalab::cli {

int report_error(const util::Error& e) {
  std::cerr << "numalab: " << e.message << "\n";
  return exit_status_for(e);
}

int report_error(const util::Error& e, util::StopRequest& stop) {
  const int signal = stop.signal();
  if (signal == 0) return report_error(e);
  std::cerr << "numalab: " << e.message << " (interrupted by " << ::strsignal(signal) << ")\n";
  return 128 + signal;
}

bool interactive() { return ::isatty(STDERR_FILENO) == 1 && std::getenv("CI") == nullptr; }

util::Result<std::unique_ptr<store::ResultsStore>> open_store(const std::filesystem::path& results) {
  std::error_code ec;
  std::filesystem::create_directories(results, ec);
  if (ec)
    return util::fail(util::ErrorKind::cannot_run, "cannot create " + results.string() + ": " + ec.message());
  auto store = store::ResultsStore::open((results / "numalab.db").string());
  if (store)
    for (const auto& run : (*store)->orphaned_runs())
      std::cerr << "numalab: note: run " << run.run_id << " (lab " << run.lab << ", started "
                << run.started_at << ") was left running by a numalab that is gone"
                << (run.pid > 0 ? " (pid " + std::to_string(run.pid) + ")" : std::string())
                << ": recorded as error\n";
  return store;
}

run::RunSettings run_settings(const std::filesystem::path& results, int hang_timeout_s, int boot_timeout_s,
                              bool memory_dump, const std::optional<std::string>& boot) {
  run::RunSettings s;
  s.results_dir = results;
  s.cache_dir = util::cache_dir();
  s.agent_binary = agent_binary_path();
  s.limits.hang_timeout = std::chrono::seconds(hang_timeout_s);
  s.limits.boot_timeout = std::chrono::seconds(boot_timeout_s);
  s.capture.memory_dump = memory_dump;
  if (boot) s.boot = lab::parse_boot(*boot);
  return s;
}

util::Result<run::PoolLimits> pool_limits(const JobsArgs& args) {
  if (args.oversubscribe && args.jobs == 0)
    return util::fail(util::ErrorKind::bad_input,
                      "--oversubscribe needs --jobs N: how many runs at once, beyond what this host holds");
  return run::PoolLimits{args.jobs, args.oversubscribe, run::host_capacity()};
}

}  // namespace numalab::cli
