#pragma once
// The results of a machine's workloads, one per planned step, in plan order, as the agent's
// start, metric, sample and end messages fill them. A message that does not belong to the open
// step (a name out of plan order, a metric after the end) is ignored: the guest is untrusted.

#include <optional>
#include <string>
#include <vector>

#include "agent/protocol.hpp"
#include "lab/lab.hpp"
#include "result/run_result.hpp"

namespace numalab::run {

class StepBook {
 public:
  StepBook(const std::string& machine, std::vector<lab::Workload> workloads);

  // Each returns whether the message was taken.
  bool start(const agent::StepStart& m);
  bool metric(const agent::Metric& m);
  bool sample(const agent::Sample& m);
  bool end(const agent::StepEnd& m);
  // Ends the run's steps with a verdict that is not the guest's: the open step gets it, the steps
  // not started are "not run: REASON".
  void conclude(result::Verdict verdict, const std::string& reason);

  // The open step: its workload as the lab declared it, and the name results know it by.
  const lab::Workload* open_workload() const;
  const std::string& open_label() const;
  const result::WorkloadResult& last_ended() const { return results_[last_ended_]; }
  const std::vector<result::WorkloadResult>& results() const { return results_; }

 private:
  result::WorkloadResult* open_result(const std::string& workload);

  std::vector<lab::Workload> workloads_;
  std::vector<result::WorkloadResult> results_;  // one per planned workload, in plan order
  std::size_t started_ = 0;
  std::size_t last_ended_ = 0;
  bool open_ = false;
};

}  // namespace numalab::run
