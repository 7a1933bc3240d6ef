#pragma once
// One run of a lab from its first VM's start to its stored result, as an object the run loop
// (run_pool.hpp) serves beside other runs: its identity and folder, its machines (one MachineRun
// each), its service gate and fault schedule. It reads no clock: every call brings the time.

#include <memory>
#include <optional>
#include <vector>

#include "lab/lab.hpp"
#include "run/fault_schedule.hpp"
#include "run/lab_runner.hpp"
#include "run/machine_run.hpp"
#include "run/run_summary.hpp"
#include "run/service_gate.hpp"
#include "util/temp_dir.hpp"

namespace numalab::run {

class ActiveRun {
 public:
  // Begins the run (a run id in the store, the run folder) and starts its machines' VMs; a VM that
  // does not start ends its machine with verdict error. An error: nothing was begun.
  static util::Result<std::unique_ptr<ActiveRun>> begin(const lab::Lab& lab, const PreparedRun& prepared,
                                                        const RunSettings& s, RunEnvironment& env);

  // Every machine has its verdict and its VM is stopped.
  bool finished() const;
  const std::vector<std::unique_ptr<MachineRun>>& machines() const { return machines_; }
  util::TimePoint next_deadline() const;
  // The service gate, the fault schedule and every machine, after the loop handed them their input.
  void on_time(util::TimePoint now);
  // Ends every machine now with verdict error, saying so (no evidence; a capture is cut short).
  void interrupt(int signal, util::TimePoint now);
  // Ends every machine now with verdict error and this reason (numalab stops for another cause).
  void abort(const std::string& why, util::TimePoint now);

  // Once finished: the result, stored in the database and in summary.json.
  util::Result<RunOutcome> store(RunEnvironment& env, util::TimePoint now);
  const std::string& run_id() const { return id_.run_id; }

 private:
  ActiveRun(const lab::Lab& lab, RunIdentity id, util::ScopedTempDir scratch, util::TimePoint t0);

  const lab::Lab& lab_;
  RunIdentity id_;
  util::ScopedTempDir scratch_;  // sockets whose run-folder path is too long for sockaddr_un
  util::TimePoint t0_;
  std::vector<std::unique_ptr<MachineRun>> machines_;
  std::unique_ptr<ServiceGate> gate_;
  std::unique_ptr<FaultSchedule> faults_;
  std::optional<util::TimePoint> workloads_started_;
  int interrupted_by_ = 0;
};

}  // namespace numalab::run
