// read_faults: the [[fault]] tables. A fault pauses a machine (QMP stop, then cont) or takes one of
// its NICs' link down (QMP set_link) for a while, some time after the workloads started.
#include <fmt/format.h>

#include <algorithm>

#include "lab/closest_name.hpp"
#include "lab/lab_sections.hpp"
#include "lab/toml_reading.hpp"
#include "lab/workload_params.hpp"
#include "model/duration.hpp"

namespace numalab::lab {
namespace {

const std::vector<std::string> k_fault_keys = {"kind",  "machine",  "network",       "at",
                                               "after", "duration", "recover_within"};
const std::vector<std::string> k_fault_kinds = {"pause", "link-down"};

std::optional<std::chrono::milliseconds> read_duration(const toml::table& table, std::string_view key,
                                                       std::string_view path, bool required,
                                                       Problems& problems) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required)
      problems.add(table.source(), key_path(path, key),
                   "[[fault]] needs '" + std::string(key) + "', a duration such as \"10s\"");
    return std::nullopt;
  }
  if (node->is_integer() && node->as_integer()->get() >= 0)
    return std::chrono::seconds(node->as_integer()->get());
  if (node->is_string())
    if (auto d = model::parse_duration(node->as_string()->get())) return *d;
  std::string shown = node->is_string() ? "\"" + node->as_string()->get() + "\"" : type_phrase(*node);
  problems.add(node->source(), key_path(path, key),
               "'" + std::string(key) +
                   "' must be a duration such as \"10s\", \"500ms\" or a number of seconds; it is " + shown);
  return std::nullopt;
}

std::optional<FaultKind> read_kind(const toml::table& table, std::string_view path, Problems& problems) {
  if (!table.contains("kind")) {
    problems.add(table.source(), key_path(path, "kind"),
                 "[[fault]] has no kind; add kind = \"pause\" or kind = \"link-down\"");
    return std::nullopt;
  }
  auto kind = read_string(table, "kind", "kind = \"pause\"", path, problems);
  if (!kind) return std::nullopt;
  if (*kind == "pause") return FaultKind::pause;
  if (*kind == "link-down") return FaultKind::link_down;
  problems.add(table.get("kind")->source(), key_path(path, "kind"),
               "unknown fault kind '" + *kind + "'" + did_you_mean(*kind, k_fault_kinds) +
                   " (kinds: " + join_names(k_fault_kinds) + ")");
  return std::nullopt;
}

std::string read_fault_machine(const toml::table& table, std::string_view path,
                               const std::vector<Machine>& machines, Problems& problems) {
  std::vector<std::string> names;
  for (const auto& m : machines) names.push_back(m.name);
  if (!table.contains("machine")) {
    problems.add(table.source(), key_path(path, "machine"),
                 "[[fault]] does not say which machine it hits; add machine = \"" +
                     (names.empty() ? std::string("server") : names.front()) + "\"");
    return "";
  }
  auto name = read_string(table, "machine", "machine = \"server\"", path, problems);
  if (!name) return "";
  if (std::find(names.begin(), names.end(), *name) == names.end()) {
    std::string hint = did_you_mean(*name, names);
    if (hint.empty()) hint = "; the lab's machines: " + join_names(names);
    problems.add(table.get("machine")->source(), key_path(path, "machine"),
                 "the fault names machine '" + *name + "', which the lab does not declare" + hint);
    return "";
  }
  return *name;
}

// link-down: the network whose NIC goes down; may be left out when the machine is on one network.
std::string read_fault_network(const toml::table& table, const Fault& f, std::string_view path,
                               const std::vector<Network>& networks, Problems& problems) {
  std::vector<std::string> on;
  for (const auto& n : networks)
    if (std::find(n.machines.begin(), n.machines.end(), f.machine) != n.machines.end()) on.push_back(n.name);
  auto name = read_string(table, "network", "network = \"storage\"", path, problems);
  if (f.kind == FaultKind::pause) {
    if (name)
      problems.add(table.get("network")->source(), key_path(path, "network"),
                   "a pause stops the whole machine; 'network' is only for kind = \"link-down\"");
    return "";
  }
  if (f.machine.empty()) return "";
  if (on.empty()) {
    problems.add(table.source(), path,
                 "link-down on machine '" + f.machine + "', which is on no [[network]]");
    return "";
  }
  if (!name) {
    if (!table.contains("network") && on.size() > 1)
      problems.add(table.source(), key_path(path, "network"),
                   "machine '" + f.machine +
                       "' is on several networks; say which link goes down: network = \"" + on.front() +
                       "\" (" + join_names(on) + ")");
    return on.size() == 1 ? on.front() : "";
  }
  if (std::find(on.begin(), on.end(), *name) == on.end()) {
    problems.add(table.get("network")->source(), key_path(path, "network"),
                 "machine '" + f.machine + "' is not on network '" + *name +
                     "' (its networks: " + join_names(on) + ")");
    return "";
  }
  return *name;
}

// `after`: the progress counter whose first move starts the fault's clock; "" for the workloads' start.
std::string read_after(const toml::table& table, std::string_view path, Problems& problems) {
  auto name = read_string(table, "after", "after = \"pswpout\"", path, problems);
  if (!name) return "";
  const bool plain =
      !name->empty() && name->size() <= 64 && std::all_of(name->begin(), name->end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      });
  if (!plain) {
    problems.add(table.get("after")->source(), key_path(path, "after"),
                 "'after' names a progress counter of a workload, such as \"pswpout\" or \"pages_done\"; \"" +
                     *name + "\" is not one");
    return "";
  }
  return *name;
}

std::string clock_text(const Fault& f) {
  return f.after.empty() ? std::string("the workloads' start") : "the first move of " + f.after;
}

std::string seconds_text(std::chrono::milliseconds d) {
  return fmt::format("{:.3g} s", static_cast<double>(d.count()) / 1000.0);
}

}  // namespace

std::string_view to_string(FaultKind k) { return k == FaultKind::pause ? "pause" : "link-down"; }

std::vector<Fault> read_faults(const toml::node& node, const std::vector<Machine>& machines,
                               const std::vector<Network>& networks, Problems& problems) {
  std::vector<Fault> faults;
  const toml::array* tables = table_array(node, "fault", problems);
  if (tables == nullptr) return faults;
  for (std::size_t i = 0; i < tables->size(); ++i) {
    const auto& table = *tables->get(i)->as_table();
    const std::string path = indexed_path("fault", i);
    check_known_keys(table, k_fault_keys, "[[fault]]", path, problems);
    Fault f;
    f.where = problems.location(table);
    auto kind = read_kind(table, path, problems);
    if (kind) f.kind = *kind;
    f.machine = read_fault_machine(table, path, machines, problems);
    if (kind) f.network = read_fault_network(table, f, path, networks, problems);
    auto at = read_duration(table, "at", path, true, problems);
    auto duration = read_duration(table, "duration", path, true, problems);
    auto recover = read_duration(table, "recover_within", path, false, problems);
    if (duration && duration->count() == 0)
      problems.add(table.get("duration")->source(), key_path(path, "duration"),
                   "a fault of duration 0 does nothing; give it a duration such as \"5s\"");
    f.after = read_after(table, path, problems);
    if (at) f.at = *at;
    if (duration) f.duration = *duration;
    if (recover) f.recover_within = *recover;
    if (!at || !duration || f.machine.empty() || !kind) continue;
    for (const auto& other : faults) {
      if (other.machine != f.machine) continue;
      if (other.after != f.after) {
        problems.add(
            table.source(), path,
            "this fault on machine '" + f.machine + "' counts from " + clock_text(f) + ", the one at line " +
                std::to_string(other.where.line) + " from " + clock_text(other) +
                "; faults on one machine share one clock (the same 'after'), so they cannot overlap");
        continue;
      }
      const bool overlap = f.at < other.at + other.duration && other.at < f.at + f.duration;
      if (overlap)
        problems.add(table.source(), path,
                     "this fault (" + seconds_text(f.at) + " to " + seconds_text(f.at + f.duration) +
                         ") overlaps the fault on machine '" + f.machine + "' at line " +
                         std::to_string(other.where.line) + " (" + seconds_text(other.at) + " to " +
                         seconds_text(other.at + other.duration) + "); one fault at a time per machine");
    }
    faults.push_back(std::move(f));
  }
  return faults;
}

}  // namespace numalab::lab
