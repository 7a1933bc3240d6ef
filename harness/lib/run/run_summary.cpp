#include "run/run_summary.hpp"

namespace numalab::run {

using result::Verdict;

result::RunResult summarise(const lab::Lab& lab, const RunIdentity& id, double duration_s,
                            const std::vector<std::unique_ptr<MachineRun>>& machines) {
  result::RunResult r;
  r.run_id = id.run_id;
  r.lab = lab.name;
  r.lab_file = lab.file.string();
  r.started_at = id.started_at;
  r.duration_s = duration_s;
  r.run_dir = id.dir.string();
  r.verdict = Verdict::pass;
  for (const auto& m : machines) {
    r.machines.push_back(m->machine_result());
    if (m->verdict() != Verdict::pass) {
      if (result::worst(r.verdict, m->verdict()) != r.verdict || r.reason.empty())
        r.reason = m->name() + ": " + m->reason();
      r.verdict = result::worst(r.verdict, m->verdict());
    }
    for (const auto& w : m->workload_results()) {
      if (w.verdict != Verdict::pass && r.reason.empty())
        r.reason = w.name + " on " + w.machine + ": " + w.detail;
      r.verdict = result::worst(r.verdict, w.verdict);
      r.workloads.push_back(w);
    }
  }
  return r;
}

}  // namespace numalab::run
