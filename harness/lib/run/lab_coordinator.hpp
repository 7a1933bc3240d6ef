#pragma once
// What happens between the machines of a lab while it runs: a machine whose workloads use another
// machine's service gets its plan once that service is ready; a service is released once every
// machine that used it is done; [[fault]]s are applied through QMP at their times; and after a
// fault the run must finish within the fault's recover_within, or the machines still at work hang.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lab/lab.hpp"
#include "result/run_result.hpp"
#include "run/machine_session.hpp"

namespace numalab::run {

class LabCoordinator {
 public:
  LabCoordinator(const lab::Lab& lab, std::vector<std::unique_ptr<MachineSession>>& sessions,
                 std::chrono::seconds ready_timeout, std::function<void(const std::string&)> say);

  // Called on every turn of the runner's poll loop.
  void on_time(util::TimePoint now);
  // When the coordinator next needs a turn (a fault to apply or end, a recovery bound).
  util::TimePoint next_deadline() const;
  std::vector<result::FaultRecord> fault_records() const;

 private:
  struct PendingFault {
    lab::Fault fault;
    result::FaultRecord record;
    enum class Stage { planned, active, over } stage = Stage::planned;
    util::TimePoint applied{};
    util::TimePoint ended{};
    bool recovery_checked = false;  // recover_within has passed, or every machine at work finished
  };
  MachineSession* session(const std::string& name);
  void start_waiting_machines(util::TimePoint now);
  void release_services();
  void run_faults(util::TimePoint now);
  // When the fault's `at` is counted from: the workloads' start, or the first move of its `after`
  // counter on any machine (nullopt until it moved).
  std::optional<util::TimePoint> clock_of(const lab::Fault& fault) const;
  // The QMP command that begins (stop, set_link down) or ends (cont, set_link up) a fault.
  util::Result<nlohmann::json> send_fault(MachineSession& s, const lab::Fault& fault, bool begin);
  void apply(PendingFault& f, util::TimePoint now);
  void end(PendingFault& f, util::TimePoint now);
  void check_recovery(util::TimePoint now);
  double since_start(util::TimePoint t) const;

  std::vector<std::unique_ptr<MachineSession>>& sessions_;
  std::map<std::string, MachineLinks> links_;
  std::chrono::seconds ready_timeout_;
  std::function<void(const std::string&)> say_;
  std::vector<PendingFault> faults_;
  bool started_ = false;  // every machine got its plan
  util::TimePoint started_at_{};
};

}  // namespace numalab::run
