#include "run/agent_link.hpp"

namespace numalab::run {

std::vector<AgentLink::Received> AgentLink::feed(std::string_view bytes, double now_s) {
  std::vector<Received> out;
  for (auto& line : lines_.feed(bytes)) {
    if (!rate_.allow(now_s)) continue;
    auto message = agent::decode_guest_message(line);
    out.push_back({std::move(line), std::move(message)});
  }
  return out;
}

agent::Plan plan_for(const lab::Machine& machine, const std::vector<lab::Workload>& workloads,
                     const MachineLinks& links) {
  agent::Plan plan;
  plan.expected = machine.topology();
  for (const auto& w : workloads) plan.workloads.push_back({w.name, w.params});
  for (const auto& nic : links.nics) plan.interfaces.push_back(nic.interface);
  plan.hosts = links.hosts;
  return plan;
}

}  // namespace numalab::run
