#include "run/repro_runner.hpp"

#include "bundle/time_to_failure.hpp"

namespace numalab::run {

util::Result<ReproOutcome> run_repro(const lab::Lab& lab, const LabKernels& kernels, const ReproRequest& req,
                                     const RunSettings& s, RunEnvironment& env) {
  ReproOutcome out;
  while (out.done < req.runs && !env.stop.requested()) {
    auto outcome = run_lab(lab, kernels, s, env);
    if (!outcome && outcome.error().kind == util::ErrorKind::interrupted) break;
    if (!outcome) return std::unexpected(outcome.error());
    const auto& r = outcome->result;
    if (outcome->interrupted_by) {
      env.status.on(ReproRunInterrupted{out.done + 1, req.runs, r.run_id, outcome->interrupted_by});
      break;
    }
    ++out.done;
    const bool hit = r.verdict == req.expected;
    out.hits += hit;
    const auto ttf = bundle::time_to_failure(r);
    if (hit && ttf) out.times.push_back(*ttf);
    env.status.on(ReproRunEnded{out.done, req.runs, r.run_id, r.verdict, hit, ttf, r.reason});
    if (req.until_fail && hit) break;
  }
  out.interrupted_by = env.stop.signal();
  return out;
}

}  // namespace numalab::run
