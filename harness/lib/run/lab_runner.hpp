#pragma once
// Runs a lab: resolves and checks everything first (nothing starts on bad input), builds the guest
// images, chooses the accelerator, starts one QEMU per machine, watches them all from one poll
// loop, and stores the result. SIGINT and SIGTERM end the run cleanly: every QEMU is stopped and
// the run is stored with verdict error.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "capture/capture_options.hpp"
#include "lab/lab.hpp"
#include "result/run_result.hpp"
#include "run/machine_session.hpp"
#include "store/store.hpp"

namespace numalab::run {

struct RunOptions {
  std::filesystem::path results_dir = "results";
  std::optional<std::string> kernel_override;  // --kernel: replaces every machine's kernel
  std::filesystem::path cache_dir;
  std::filesystem::path agent_binary;
  std::string qemu_binary = "qemu-system-x86_64";
  SessionLimits limits;
  capture::CaptureOptions capture;  // evidence of a hang or crash, before QEMU is stopped
  bool terminal = false;            // progress may redraw a line (a terminal, not CI)
  std::function<void(const std::string&)> say = [](const std::string&) {};
};

struct RunOutcome {
  result::RunResult result;
  int interrupted_by = 0;  // the signal that ended the run early, or 0
};

util::Result<RunOutcome> run_lab(const lab::Lab& lab, const RunOptions& options, store::ResultsStore& store);

}  // namespace numalab::run
