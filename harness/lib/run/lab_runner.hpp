#pragma once
// Runs a lab, in named stages: prepare (each machine's guest image and the accelerator, for kernels
// resolved before and handed in), begin (a run id in the store, the run folder), start the
// machines (one VM each, through the launcher), watch them all (run_pool.hpp) and store the result
// (summary.json, the database). Ctrl-C ends the run cleanly: every VM is stopped and the run is
// stored with verdict error.

#include <functional>
#include <memory>

#include "capture/evidence_capture.hpp"
#include "lab/lab.hpp"
#include "launch/vm.hpp"
#include "result/run_result.hpp"
#include "run/prepared_run.hpp"
#include "run/run_settings.hpp"
#include "run/status.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"
#include "util/stop_request.hpp"

namespace numalab::run {

// The evidence taker of a machine with this kernel (nullptr: no evidence).
using EvidenceFactory = std::function<std::unique_ptr<capture::EvidenceTaker>(const kernel::ResolvedKernel&)>;

// The guest images and the accelerator of a run, for its kernels.
using Preparer = std::function<util::Result<PreparedRun>(const lab::Lab&, const LabKernels&)>;

// What a run talks to: the OS boundaries (tests replace each with a fake) and its listener.
struct RunEnvironment {
  store::ResultsStore& store;
  StatusSink& status;
  util::StopRequest& stop;
  util::Clock& clock;
  launch::Launcher& launcher;
  EvidenceFactory evidence;
  Preparer prepare;
};

// The staged capture with `options`, and the kernel's vmlinux when it has one.
EvidenceFactory staged_evidence(const capture::CaptureOptions& options);
// prepare_run (run_preparation.hpp): images built or cached, the accelerator probed; then, for
// --boot restore, each machine's startup cache entry found or made (startup_preparation.hpp).
Preparer image_preparation(const RunSettings& settings, StatusSink& status, launch::Launcher& launcher,
                           util::StopRequest& stop);

struct RunOutcome {
  result::RunResult result;
  int interrupted_by = 0;  // the signal that ended the run early, or 0
};

// Prepares and runs. Before the run begins, a stop request is an error of kind interrupted (nothing
// was stored); after, the run is stored and interrupted_by says so.
util::Result<RunOutcome> run_lab(const lab::Lab& lab, const LabKernels& kernels, const RunSettings& settings,
                                 RunEnvironment& env);

// The stages after preparation.
util::Result<RunOutcome> execute_run(const lab::Lab& lab, const PreparedRun& prepared,
                                     const RunSettings& settings, RunEnvironment& env);

}  // namespace numalab::run
