#pragma once
// Services between the machines of a lab: a machine whose workloads use another machine's service
// (swap-nfs on an nfs-server) gets its plan once that service said ready; a service machine that
// never becomes ready within the ready timeout, or ends first, ends its users with an error; and a
// service is released once every machine that used it is done.

#include <chrono>
#include <vector>

#include "run/machine_run.hpp"

namespace numalab::run {

class ServiceGate {
 public:
  ServiceGate(std::vector<MachineRun*> machines, std::chrono::seconds ready_timeout)
      : machines_(std::move(machines)), ready_timeout_(ready_timeout) {}
  void on_time(util::TimePoint now);
  // Every machine has its plan (or has ended): the lab's workloads are under way.
  bool all_started() const;

 private:
  MachineRun* find(const std::string& name) const;
  void start_waiting(MachineRun& user, util::TimePoint now);
  void release_services(util::TimePoint now);

  std::vector<MachineRun*> machines_;
  std::chrono::seconds ready_timeout_;
};

}  // namespace numalab::run
