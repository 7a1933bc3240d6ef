#pragma once
// A run's result from its machines' results: every machine and workload, and the run's verdict,
// the worst of them, with the reason of the machine or workload that decided it.

#include <memory>
#include <string>
#include <vector>

#include "lab/lab.hpp"
#include "result/run_result.hpp"
#include "run/machine_run.hpp"

namespace numalab::run {

struct RunIdentity {
  std::string run_id;
  std::string started_at;
  std::filesystem::path dir;
};

result::RunResult summarise(const lab::Lab& lab, const RunIdentity& id, double duration_s,
                            const std::vector<std::unique_ptr<MachineRun>>& machines);

}  // namespace numalab::run
