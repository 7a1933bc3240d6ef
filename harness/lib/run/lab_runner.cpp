#include "run/lab_runner.hpp"

#include "run/run_pool.hpp"
#include "run/run_preparation.hpp"
#include "run/startup_preparation.hpp"

namespace numalab::run {

using util::ErrorKind;
using util::fail;

EvidenceFactory staged_evidence(const capture::CaptureOptions& options) {
  return [options](const kernel::ResolvedKernel& k) {
    return std::make_unique<capture::StagedEvidence>(capture::options_for(k, options));
  };
}

util::Result<RunOutcome> execute_run(const lab::Lab& lab, const PreparedRun& prepared, const RunSettings& s,
                                     RunEnvironment& env) {
  const PoolJob job{&lab, &prepared, 0};
  std::optional<RunOutcome> out;
  PoolHooks hooks;
  hooks.ended = [&out](std::size_t, const RunOutcome& o) -> util::Result<void> {
    out = o;
    return {};
  };
  auto ran = run_pool(std::span(&job, 1), {}, hooks, s, env);
  if (!ran) return std::unexpected(ran.error());
  if (!out) return fail(ErrorKind::interrupted, "interrupted before the run began");
  return std::move(*out);
}

Preparer image_preparation(const RunSettings& settings, StatusSink& status, launch::Launcher& launcher,
                           util::StopRequest& stop) {
  return [settings, &status, &launcher, &stop](const lab::Lab& lab,
                                               const LabKernels& kernels) -> util::Result<PreparedRun> {
    auto run = prepare_run(lab, kernels, settings, status);
    if (!run) return run;
    const launch::StartupCache cache(settings.cache_dir / "startup");
    if (auto ok = prepare_startup(lab, *run, settings, cache, launcher, stop, status); !ok)
      return std::unexpected(ok.error());
    return run;
  };
}

util::Result<RunOutcome> run_lab(const lab::Lab& lab, const LabKernels& kernels, const RunSettings& s,
                                 RunEnvironment& env) {
  auto prepared = env.prepare(lab, kernels);
  if (!prepared) return std::unexpected(prepared.error());
  if (env.stop.requested()) return fail(ErrorKind::interrupted, "interrupted before the run began");
  return execute_run(lab, *prepared, s, env);
}

}  // namespace numalab::run
