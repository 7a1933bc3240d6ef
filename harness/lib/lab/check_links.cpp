// check_machine_links: the workload parameters that name another machine (ParamType::machine, e.g.
// swap-nfs's server) must name a declared machine, not the workload's own, that shares a
// [[network]] with it and runs a workload providing a service. choose_swap_nics: the NIC of a
// network that carries swap.
#include <algorithm>

#include "lab/closest_name.hpp"
#include "lab/lab_sections.hpp"
#include "lab/toml_reading.hpp"
#include "lab/workload_catalog.hpp"

namespace numalab::lab {
namespace {

bool links(const Network& n, const std::string& a, const std::string& b) {
  return std::find(n.machines.begin(), n.machines.end(), a) != n.machines.end() &&
         std::find(n.machines.begin(), n.machines.end(), b) != n.machines.end();
}

bool share_network(const std::vector<Network>& networks, const std::string& a, const std::string& b) {
  return std::any_of(networks.begin(), networks.end(), [&](const Network& n) { return links(n, a, b); });
}

bool provides_service(const std::vector<Workload>& workloads, const std::string& machine) {
  return std::any_of(workloads.begin(), workloads.end(), [&](const Workload& w) {
    return w.machine == machine && !provided_service(w.name).empty();
  });
}

std::vector<std::string> service_workloads() {
  std::vector<std::string> names;
  for (const auto& spec : workload_catalog())
    if (!provided_service(spec.name).empty()) names.push_back(spec.name);
  return names;
}

void check_reference(const Lab& lab, const Workload& w, const ParamSpec& param, const toml::node& node,
                     std::string_view path, Problems& problems) {
  const std::string target = w.params.at(param.name).get<std::string>();
  const std::string where = "workload '" + w.name + "': '" + param.name + "'";
  std::vector<std::string> names;
  for (const auto& m : lab.machines) names.push_back(m.name);
  if (std::find(names.begin(), names.end(), target) == names.end()) {
    std::string hint = did_you_mean(target, names);
    if (hint.empty()) hint = "; the lab's machines: " + join_names(names);
    problems.add(node.source(), path,
                 where + " names machine '" + target + "', which the lab does not declare" + hint);
    return;
  }
  if (target == w.machine) {
    problems.add(node.source(), path,
                 where + " names the machine the workload runs on; it must be another machine of the lab");
    return;
  }
  if (!share_network(lab.networks, w.machine, target))
    problems.add(node.source(), path,
                 where + " names machine '" + target + "', which shares no network with '" + w.machine +
                     "'; add [[network]] with machines = [\"" + target + "\", \"" + w.machine + "\"]");
  if (!provides_service(lab.workloads, target))
    problems.add(node.source(), path,
                 where + " names machine '" + target +
                     "', which runs no service; add a [[workload]] on it (" +
                     join_names(service_workloads()) + ")");
}

}  // namespace

void choose_swap_nics(Lab& lab) {
  for (const auto& w : lab.workloads) {
    const WorkloadSpec* spec = find_workload(w.name);
    if (spec == nullptr || !swaps_over_network(w.name)) continue;
    for (const auto& param : spec->params) {
      if (param.type != ParamType::machine || !w.params.contains(param.name) ||
          !w.params.at(param.name).is_string())
        continue;
      const auto target = w.params.at(param.name).get<std::string>();
      for (auto& n : lab.networks)
        if (!n.nic_given && links(n, w.machine, target)) n.nic = NicModel::e1000e;
    }
  }
}

void check_machine_links(const Lab& lab, const toml::table& root, Problems& problems) {
  const toml::node* node = root.get("workload");
  if (node == nullptr || !node->is_array_of_tables()) return;
  const toml::array& tables = *node->as_array();
  for (std::size_t i = 0; i < tables.size() && i < lab.workloads.size(); ++i) {
    const Workload& w = lab.workloads[i];
    const WorkloadSpec* spec = find_workload(w.name);
    if (spec == nullptr) continue;
    for (const auto& param : spec->params) {
      if (param.type != ParamType::machine || !w.params.contains(param.name)) continue;
      const toml::node* value = tables.get(i)->as_table()->get(param.name);
      if (value != nullptr)
        check_reference(lab, w, param, *value, key_path(indexed_path("workload", i), param.name), problems);
    }
  }
}

}  // namespace numalab::lab
