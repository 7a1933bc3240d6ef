// read_workload: one [[workload]] table, a workload from the catalogue, the machine it runs on (the
// lab's only machine when it does not say) and its parameters.
#include <algorithm>

#include "lab/closest_name.hpp"
#include "lab/lab_sections.hpp"
#include "lab/toml_reading.hpp"
#include "lab/workload_catalog.hpp"
#include "lab/workload_params.hpp"

namespace numalab::lab {
namespace {

std::vector<std::string> workload_names() {
  std::vector<std::string> names;
  for (const auto& spec : workload_catalog()) names.push_back(spec.name);
  return names;
}

const WorkloadSpec* read_workload_name(const toml::table& table, Workload& workload, std::string_view path,
                                       Problems& problems) {
  auto name = read_string(table, "name", "name = \"topology-check\"", path, problems);
  if (!table.contains("name")) {
    problems.add(table.source(), key_path(path, "name"),
                 "[[workload]] has no name; add e.g. name = \"topology-check\" (workloads: " +
                     join_names(workload_names()) + ")");
  }
  if (!name) return nullptr;
  workload.name = *name;
  const WorkloadSpec* spec = find_workload(*name);
  if (spec == nullptr) {
    std::string hint = did_you_mean(*name, workload_names());
    problems.add(
        table.get("name")->source(), key_path(path, "name"),
        "unknown workload '" + *name + "'" + hint + " (workloads: " + join_names(workload_names()) + ")");
  }
  return spec;
}

std::string read_workload_machine(const toml::table& table, const Workload& workload, std::string_view path,
                                  const std::vector<Machine>& machines, Problems& problems) {
  std::vector<std::string> names;
  for (const auto& machine : machines)
    if (std::find(names.begin(), names.end(), machine.name) == names.end()) names.push_back(machine.name);
  const toml::node* node = table.get("machine");
  if (node == nullptr) {
    if (machines.size() == 1) return machines.front().name;
    if (machines.size() > 1)
      problems.add(table.source(), key_path(path, "machine"),
                   "workload '" + workload.name +
                       "' does not say which machine it runs on; add machine = \"" + names.front() +
                       "\" (the lab's machines: " + join_names(names) + ")");
    return "";
  }
  auto name = read_string(table, "machine", "machine = \"guest\"", path, problems);
  if (!name) return "";
  if (!machines.empty() && std::find(names.begin(), names.end(), *name) == names.end()) {
    std::string hint = did_you_mean(*name, names);
    if (hint.empty()) hint = "; the lab's machines: " + join_names(names);
    problems.add(node->source(), key_path(path, "machine"),
                 "workload '" + workload.name + "' names machine '" + *name +
                     "', which the lab does not declare" + hint);
  }
  return *name;
}

}  // namespace

Workload read_workload(const toml::table& table, std::string_view path, const std::vector<Machine>& machines,
                       Problems& problems) {
  Workload workload;
  workload.where = problems.location(table);
  workload.params = nlohmann::json::object();
  const WorkloadSpec* spec = read_workload_name(table, workload, path, problems);
  workload.machine = read_workload_machine(table, workload, path, machines, problems);
  if (spec == nullptr) return workload;  // its parameters cannot be checked
  std::vector<std::string> known = {"name", "machine"};
  for (const auto& param : spec->params) known.push_back(param.name);
  check_known_keys(table, known, "[[workload]] '" + spec->name + "'", path, problems);
  for (const auto& param : spec->params) {
    const toml::node* value = table.get(param.name);
    if (value == nullptr) {
      if (param.required)
        problems.add(table.source(), path,
                     "workload '" + spec->name + "' needs '" + param.name + "': " + param.help);
      continue;
    }
    if (auto json = read_param(*value, param, spec->name, key_path(path, param.name), problems))
      workload.params[param.name] = std::move(*json);
  }
  return workload;
}

}  // namespace numalab::lab
