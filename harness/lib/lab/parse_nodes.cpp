// read_nodes: the [[machine.node]] tables of a machine. Node ids are their order from 0; CPUs are
// numbered 0..N-1 across the machine, each in exactly one node; at least one node has memory.
#include <algorithm>
#include <map>
#include <set>

#include "lab/lab_sections.hpp"
#include "lab/node_memory.hpp"
#include "lab/toml_reading.hpp"

namespace numalab::lab {
namespace {

const std::vector<std::string> k_node_keys = {"cpus", "memory"};

struct DeclaredCpu {
  int cpu = 0;
  toml::source_region where;
};

std::string node_name(std::size_t id) { return "node " + std::to_string(id); }

// The CPUs of one node; nullopt when cpus is missing or any element is wrong (each reported).
std::optional<std::vector<DeclaredCpu>> read_cpus(const toml::table& table, std::size_t id,
                                                  std::string_view path, Problems& problems) {
  const toml::node* node = table.get("cpus");
  std::string cpus_path = key_path(path, "cpus");
  if (node == nullptr) {
    problems.add(table.source(), cpus_path,
                 node_name(id) + " has no cpus; add cpus = [0, 1] (or cpus = [] for a CPU-less node)");
    return std::nullopt;
  }
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    problems.add(node->source(), cpus_path,
                 "cpus of " + node_name(id) + " must be an array of CPU numbers, e.g. cpus = [0, 1]; it is " +
                     type_phrase(*node));
    return std::nullopt;
  }
  std::vector<DeclaredCpu> cpus;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    std::string where = "cpus[" + std::to_string(i) + "] of " + node_name(id);
    const auto* number = element.as_integer();
    if (number == nullptr) {
      problems.add(element.source(), indexed_path(cpus_path, i),
                   where + " must be a CPU number (a non-negative integer); it is " + type_phrase(element));
    } else if (number->get() < 0) {
      problems.add(element.source(), indexed_path(cpus_path, i),
                   where + " is " + std::to_string(number->get()) + "; CPU numbers start at 0");
    } else if (number->get() >= k_max_cpus) {
      problems.add(element.source(), indexed_path(cpus_path, i),
                   node_name(id) + " lists CPU " + std::to_string(number->get()) +
                       "; a machine has at most " + std::to_string(k_max_cpus) + " CPUs, numbered 0 to " +
                       std::to_string(k_max_cpus - 1));
    } else {
      cpus.push_back(DeclaredCpu{static_cast<int>(number->get()), element.source()});
      continue;
    }
    ok = false;
  }
  if (!ok) return std::nullopt;
  return cpus;
}

// "0-3 and 5" for {0, 1, 2, 3, 5}.
std::string cpu_list_phrase(const std::vector<int>& cpus) {
  std::string list = model::format_cpu_list(cpus);
  auto last = list.rfind(',');
  if (last == std::string::npos) return list;
  std::string head = list.substr(0, last);
  std::string out;
  for (char c : head) out += (c == ',') ? std::string(", ") : std::string(1, c);
  return out + " and " + list.substr(last + 1);
}

std::string cpus_phrase(const std::vector<int>& cpus, std::string_view verb_one, std::string_view verb_many) {
  bool one = cpus.size() == 1;
  return (one ? "CPU " : "CPUs ") + cpu_list_phrase(cpus) + " " + std::string(one ? verb_one : verb_many);
}

// Each CPU in one node only, and CPUs numbered from 0 without gaps.
void check_cpu_numbering(const std::vector<std::optional<std::vector<DeclaredCpu>>>& declared,
                         const toml::table& machine, std::string_view machine_name,
                         std::string_view nodes_path, Problems& problems) {
  std::map<int, std::size_t> owner;
  bool complete = true;
  for (std::size_t id = 0; id < declared.size(); ++id) {
    if (!declared[id]) {
      complete = false;
      continue;
    }
    for (const auto& [cpu, where] : *declared[id]) {
      auto [it, inserted] = owner.emplace(cpu, id);
      if (inserted) continue;
      std::string text = it->second == id ? node_name(id) + " lists CPU " + std::to_string(cpu) + " twice"
                                          : node_name(id) + " lists CPU " + std::to_string(cpu) + ", which " +
                                                node_name(it->second) + " already has";
      problems.add(where, key_path(indexed_path(nodes_path, id), "cpus"),
                   text + "; list each CPU in one node only");
    }
  }
  if (!complete) return;
  if (owner.empty()) {
    problems.add(
        machine.source(), nodes_path,
        machine_label(machine_name) + " declares no CPU; give at least one node CPUs, e.g. cpus = [0]");
    return;
  }
  std::vector<int> present;
  std::vector<int> missing;
  for (const auto& [cpu, id] : owner) present.push_back(cpu);
  for (int cpu = 0; cpu < present.back(); ++cpu)
    if (!owner.contains(cpu)) missing.push_back(cpu);
  if (!missing.empty())
    problems.add(machine.source(), nodes_path,
                 cpus_phrase(present, "is declared", "are declared") + "; " +
                     cpus_phrase(missing, "is missing", "are missing") + ": number CPUs from 0 without gaps");
}

}  // namespace

std::vector<NumaNode> read_nodes(const toml::table& machine, std::string_view machine_name,
                                 std::string_view path, Problems& problems) {
  std::vector<NumaNode> nodes;
  std::string nodes_path = key_path(path, "node");
  const toml::node* array = machine.get("node");
  if (array == nullptr || !array->is_array_of_tables() || array->as_array()->empty()) {
    std::string problem =
        array == nullptr ? "has no [[machine.node]]" : "has 'node' that is not [[machine.node]] tables";
    problems.add(
        array == nullptr ? machine.source() : array->source(), nodes_path,
        machine_label(machine_name) + " " + problem +
            "; add one per NUMA node, e.g. [[machine.node]] with cpus = [0, 1] and memory = \"512M\"");
    return nodes;
  }
  const toml::array& tables = *array->as_array();
  if (tables.size() > k_max_nodes)
    problems.add(array->source(), nodes_path,
                 machine_label(machine_name) + " declares " + std::to_string(tables.size()) +
                     " nodes; at most " + std::to_string(k_max_nodes) + " are supported");
  std::vector<std::optional<std::vector<DeclaredCpu>>> declared;
  bool all_memory_known = true;
  bool any_memory = false;
  for (std::size_t id = 0; id < tables.size(); ++id) {
    const toml::table& table = *tables.get(id)->as_table();
    std::string node_path = indexed_path(nodes_path, id);
    check_known_keys(table, k_node_keys, "[[machine.node]]", node_path, problems);
    NumaNode node{static_cast<int>(id), {}, 0, problems.location(table)};
    declared.push_back(read_cpus(table, id, node_path, problems));
    auto memory = read_node_memory(table, id, node_path, problems);
    if (declared.back())
      for (const auto& cpu : *declared.back()) node.cpus.push_back(cpu.cpu);
    std::sort(node.cpus.begin(), node.cpus.end());
    node.memory_bytes = memory.value_or(0);
    all_memory_known = all_memory_known && memory.has_value();
    any_memory = any_memory || node.memory_bytes > 0;
    if (declared.back() && memory && node.cpus.empty() && *memory == 0)
      problems.add(table.source(), node_path,
                   node_name(id) + " has neither CPUs nor memory; give it cpus or memory, or remove it");
    nodes.push_back(std::move(node));
  }
  check_cpu_numbering(declared, machine, machine_name, nodes_path, problems);
  if (all_memory_known && !any_memory)
    problems.add(machine.source(), path,
                 machine_label(machine_name) +
                     " has no node with memory; give at least one node memory, e.g. memory = \"512M\"");
  return nodes;
}

}  // namespace numalab::lab
