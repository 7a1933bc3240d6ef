#include "run/lab_links.hpp"

#include <algorithm>
#include <cstdio>

#include "lab/workload_catalog.hpp"

namespace numalab::run {

namespace {

std::string mac_of(std::size_t network, std::size_t member) {
  char text[32];
  std::snprintf(text, sizeof text, "52:54:00:4e:%02zx:%02zx", network & 0xff, member + 1);
  return text;
}

std::string address_of(std::size_t network, std::size_t member) {
  return "10.77." + std::to_string(network) + "." + std::to_string(member + 1);
}

}  // namespace

std::map<std::string, MachineLinks> lab_links(const lab::Lab& lab) {
  std::map<std::string, MachineLinks> links;
  for (const auto& m : lab.machines) links[m.name];
  for (std::size_t i = 0; i < lab.networks.size(); ++i) {
    const auto& n = lab.networks[i];
    for (std::size_t a = 0; a < n.machines.size(); ++a) {
      auto& here = links[n.machines[a]];
      Nic nic;
      nic.interface = {n.name, mac_of(i, a), address_of(i, a), 24};
      nic.netdev = "net" + std::to_string(i);
      nic.model = n.nic;
      nic.socket = "net" + std::to_string(i) + ".sock";
      for (std::size_t b = 0; b < n.machines.size(); ++b) {
        if (b == a) continue;
        nic.peer = n.machines[b];
        nic.peer_socket = "net" + std::to_string(i) + ".sock";
        here.hosts[n.machines[b]] = address_of(i, b);
      }
      here.nics.push_back(std::move(nic));
    }
  }
  for (const auto& w : lab.workloads) {
    auto& here = links[w.machine];
    if (auto service = lab::provided_service(w.name); !service.empty()) here.services.emplace_back(service);
    const lab::WorkloadSpec* spec = lab::find_workload(w.name);
    if (spec == nullptr) continue;
    for (const auto& p : spec->params) {
      if (p.type != lab::ParamType::machine) continue;
      auto it = w.params.find(p.name);
      if (it == w.params.end() || !it->is_string()) continue;
      const std::string target = it->get<std::string>();
      if (target != w.machine &&
          std::find(here.waits_for.begin(), here.waits_for.end(), target) == here.waits_for.end())
        here.waits_for.push_back(target);
    }
  }
  return links;
}

}  // namespace numalab::run
