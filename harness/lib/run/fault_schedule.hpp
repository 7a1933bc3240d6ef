#pragma once
// The lab's [[fault]]s as they happen: each is applied to its machine through the machine's own VM
// (pause: QMP stop/cont; link-down: set_link on the NIC of its network) at its time, counted from
// the moment every machine's workloads started or from the first move of its `after` counter, and
// ended after its duration. After a fault ends, every machine still at work must make progress
// again within the fault's recover_within: a progress counter that moves, or its workloads ending.
// From then on the machine's ordinary watch (the stall window) decides, so a long workload that
// recovered is never called hung by the fault's bound. A machine that reports no progress counters
// at all must finish within the bound instead.

#include <optional>
#include <vector>

#include "lab/lab.hpp"
#include "result/run_result.hpp"
#include "run/machine_run.hpp"

namespace numalab::run {

class FaultSchedule {
 public:
  FaultSchedule(const std::vector<lab::Fault>& faults, std::vector<MachineRun*> machines, StatusSink& status);

  // `workloads_started`: when every machine got its plan (nullopt until then).
  void on_time(std::optional<util::TimePoint> workloads_started, util::TimePoint now);
  util::TimePoint next_deadline() const;
  std::vector<result::FaultRecord> records() const;

 private:
  struct Pending {
    lab::Fault fault;
    result::FaultRecord record;
    enum class Stage { planned, active, over } stage = Stage::planned;
    util::TimePoint applied{};
    util::TimePoint ended{};
    bool recovery_checked = false;  // every machine at work moved again, or the bound passed
  };
  MachineRun* find(const std::string& name) const;
  // When the fault's `at` counts from: the workloads' start, or the first move of its `after`
  // counter on any machine (nullopt until then).
  std::optional<util::TimePoint> clock_of(const lab::Fault& fault) const;
  std::string netdev_of(const lab::Fault& fault) const;
  void apply(Pending& f, util::TimePoint now);
  void end(Pending& f, util::TimePoint now);
  void check_recovery(Pending& f, util::TimePoint now);
  double since_start(util::TimePoint t) const;

  std::vector<MachineRun*> machines_;
  StatusSink& status_;
  std::vector<Pending> faults_;
  std::optional<util::TimePoint> started_;
};

}  // namespace numalab::run
