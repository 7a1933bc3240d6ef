#pragma once
// The loop that serves every machine of a running lab at once: it polls the streams each machine
// names (console, agent, QMP, the end of its ending thread) and the stop request, hands each
// machine what arrived and the time, lets the service gate and the fault schedule act between
// machines, and returns when every machine has finished. No machine's evidence or stop blocks the
// others: those run on the machine's own ending thread.

#include <memory>
#include <vector>

#include "run/fault_schedule.hpp"
#include "run/machine_run.hpp"
#include "run/service_gate.hpp"
#include "util/clock.hpp"
#include "util/stop_request.hpp"

namespace numalab::run {

struct LabLoop {
  std::vector<std::unique_ptr<MachineRun>>& machines;
  ServiceGate& gate;
  FaultSchedule& faults;
  util::Clock& clock;
  util::StopRequest& stop;
  StatusSink& status;
};

// Runs until every machine finished. A stop request ends every machine at once with verdict error
// (no evidence is taken; a capture under way is cut short) and is returned: the signal, else 0.
int run_lab_loop(const LabLoop& loop);

}  // namespace numalab::run
