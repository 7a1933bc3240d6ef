#pragma once
// What every subcommand shares: saying an error and choosing its exit status, whether progress
// may redraw a line, opening the results store, and the parts of a run that talk to this machine.

#include <filesystem>
#include <memory>

#include "launch/vm.hpp"
#include "run/lab_runner.hpp"
#include "run/run_pool.hpp"
#include "run/run_settings.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"
#include "util/stop_request.hpp"

namespace numalab::cli {

// Prints "numalab: MESSAGE" to stderr; returns the exit status for the error's kind.
int report_error(const util::Error& e);
// The same, except after Ctrl-C (or SIGTERM, SIGHUP): whatever failed, numalab was interrupted,
// says so and exits 128 + the signal.
int report_error(const util::Error& e, util::StopRequest& stop);

// A person at a terminal, not CI: progress may redraw its line.
bool interactive();

// RESULTS/numalab.db, creating RESULTS first. Says (a note on stderr) which runs it found left
// running by a numalab that is gone, now recorded as error.
util::Result<std::unique_ptr<store::ResultsStore>> open_store(const std::filesystem::path& results);

// The settings of a run from the options run, compare and repro share.
// `boot`: --boot ("fresh" or "restore", as the parser checked it), or unset.
run::RunSettings run_settings(const std::filesystem::path& results, int hang_timeout_s, int boot_timeout_s,
                              bool memory_dump, const std::optional<std::string>& boot);

// --jobs and --oversubscribe, as compare and repro take them.
struct JobsArgs {
  int jobs = 0;  // 0: as many as this host holds
  bool oversubscribe = false;
};
// This host's capacity with the user's limits; --oversubscribe needs --jobs (bad_input).
util::Result<run::PoolLimits> pool_limits(const JobsArgs& args);

// This machine's clock and QEMU, and a command's run environment made of them: evidence staged
// as `settings` say, guest images prepared as numalab does.
struct SystemParts {
  util::SystemClock clock;
  launch::QemuLauncher qemu;

  run::RunEnvironment environment(store::ResultsStore& store, run::StatusSink& status,
                                  util::StopRequest& stop, const run::RunSettings& settings) {
    return {store,
            status,
            stop,
            clock,
            qemu,
            run::staged_evidence(settings.capture),
            run::image_preparation(settings, status, qemu, stop)};
  }
};

}  // namespace numalab::cli
