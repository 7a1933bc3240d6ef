#include "run/service_gate.hpp"

#include <algorithm>

namespace numalab::run {

using result::Verdict;
using util::TimePoint;

MachineRun* ServiceGate::find(const std::string& name) const {
  for (auto* m : machines_)
    if (m->name() == name) return m;
  return nullptr;
}

void ServiceGate::on_time(TimePoint now) {
  for (auto* m : machines_)
    if (m->waiting()) start_waiting(*m, now);
  release_services(now);
}

void ServiceGate::start_waiting(MachineRun& user, TimePoint now) {
  bool all_ready = true;
  for (const auto& name : user.links().waits_for) {
    MachineRun* server = find(name);
    if (server == nullptr || server->services_ready()) continue;
    all_ready = false;
    if (server->finished() || server->workloads_over()) {
      user.abort(Verdict::error,
                 "machine '" + name + "' ended before its service was ready (" +
                     std::string(result::to_string(server->verdict())) + ": " + server->reason() + ")",
                 now);
      return;
    }
    if (now - user.waiting_since() > ready_timeout_) {
      std::string services;
      for (const auto& s : server->links().services) services += (services.empty() ? "" : ", ") + s;
      const std::string why = "its service (" + services + ") was not ready " +
                              std::to_string(ready_timeout_.count()) + " s after machine '" + user.name() +
                              "' asked for it";
      server->abort(Verdict::error, why + "; see its console.log", now);
      user.abort(Verdict::error, "machine '" + name + "' never became ready: " + why, now);
      return;
    }
  }
  if (all_ready) user.start_workloads(now);
}

void ServiceGate::release_services(TimePoint now) {
  for (auto* server : machines_) {
    if (server->links().services.empty() || !server->services_ready() || server->finished()) continue;
    const bool users_done = std::all_of(machines_.begin(), machines_.end(), [&](const MachineRun* user) {
      const auto& waits = user->links().waits_for;
      return std::find(waits.begin(), waits.end(), server->name()) == waits.end() || user->finished() ||
             user->workloads_over();
    });
    if (users_done) server->release(now);
  }
}

bool ServiceGate::all_started() const {
  return std::all_of(machines_.begin(), machines_.end(),
                     [](const MachineRun* m) { return m->finished() || m->plan_sent(); });
}

}  // namespace numalab::run
