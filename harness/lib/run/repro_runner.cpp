#include "run/repro_runner.hpp"

#include "bundle/time_to_failure.hpp"

namespace numalab::run {

util::Result<ReproOutcome> run_repro(const lab::Lab& lab, const LabKernels& kernels, const ReproRequest& req,
                                     const RunSettings& s, RunEnvironment& env) {
  ReproOutcome out;
  auto prepared = env.prepare(lab, kernels);
  if (!prepared) return std::unexpected(prepared.error());
  if (env.stop.requested()) {
    out.interrupted_by = env.stop.signal();
    return out;
  }
  std::vector<PoolJob> jobs;
  for (int i = 0; i < req.runs; ++i) jobs.push_back({&lab, &*prepared, i});
  PoolHooks hooks;
  hooks.keep_starting = [&] { return !(req.until_fail && out.hits > 0); };
  hooks.ended = [&](std::size_t job, const RunOutcome& outcome) -> util::Result<void> {
    const auto& r = outcome.result;
    const int number = static_cast<int>(job) + 1;
    if (outcome.interrupted_by) {
      env.status.on(ReproRunInterrupted{number, req.runs, r.run_id, outcome.interrupted_by});
      return {};
    }
    ++out.done;
    const bool hit = r.verdict == req.expected;
    out.hits += hit;
    const auto ttf = bundle::time_to_failure(r);
    if (hit && ttf) out.times.push_back(*ttf);
    env.status.on(ReproRunEnded{number, req.runs, r.run_id, r.verdict, hit, ttf, r.reason});
    return {};
  };
  auto signal = run_pool(jobs, req.limits, hooks, s, env);
  if (!signal) return std::unexpected(signal.error());
  out.interrupted_by = *signal;
  return out;
}

}  // namespace numalab::run
