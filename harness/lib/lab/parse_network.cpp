// read_networks: the [[network]] tables. A network links exactly two declared machines; a lab may
// have several networks, and a machine may be on more than one (one NIC each).
#include <algorithm>

#include "lab/closest_name.hpp"
#include "lab/lab_sections.hpp"
#include "lab/toml_reading.hpp"

namespace numalab::lab {
namespace {

const std::vector<std::string> k_network_keys = {"name", "machines", "nic"};

NicModel read_nic(const toml::table& table, std::string_view path, Problems& problems) {
  const toml::node* node = table.get("nic");
  if (node == nullptr) return NicModel::virtio_net;
  const auto value = read_string(table, "nic", "nic = \"e1000e\"", path, problems);
  if (!value) return NicModel::virtio_net;
  for (auto m : {NicModel::virtio_net, NicModel::e1000e})
    if (*value == to_string(m)) return m;
  problems.add(
      node->source(), key_path(path, "nic"),
      "nic = \"" + *value + "\" is not a NIC numalab knows; use \"virtio-net\" (the default) or \"e1000e\"");
  return NicModel::virtio_net;
}

std::vector<std::string> machine_names(const std::vector<Machine>& machines) {
  std::vector<std::string> names;
  for (const auto& m : machines) names.push_back(m.name);
  return names;
}

std::vector<std::string> read_members(const toml::table& table, const std::string& label,
                                      std::string_view path, const std::vector<Machine>& machines,
                                      Problems& problems) {
  const toml::node* node = table.get("machines");
  const auto names = machine_names(machines);
  if (node == nullptr) {
    problems.add(table.source(), key_path(path, "machines"),
                 label + " does not say which machines it links; add machines = [\"server\", \"client\"]");
    return {};
  }
  auto members = read_string_array(*node, "machines", "machines = [\"server\", \"client\"]", path, problems);
  if (!members) return {};
  std::vector<std::string> kept;
  for (const auto& m : *members) {
    if (std::find(names.begin(), names.end(), m) == names.end()) {
      std::string hint = did_you_mean(m, names);
      if (hint.empty()) hint = "; the lab's machines: " + join_names(names);
      problems.add(node->source(), key_path(path, "machines"),
                   label + " names machine '" + m + "', which the lab does not declare" + hint);
    } else if (std::find(kept.begin(), kept.end(), m) != kept.end()) {
      problems.add(node->source(), key_path(path, "machines"), label + " names machine '" + m + "' twice");
    } else {
      kept.push_back(m);
    }
  }
  if (members->size() < 2)
    problems.add(node->source(), key_path(path, "machines"),
                 label + " links " + std::to_string(members->size()) +
                     " machine; a network links two machines: machines = [\"server\", \"client\"]");
  else if (members->size() > 2)
    problems.add(node->source(), key_path(path, "machines"),
                 label + " links " + std::to_string(members->size()) +
                     " machines; numalab's networks are point-to-point: declare one [[network]] per pair");
  return kept;
}

}  // namespace

std::string_view to_string(NicModel m) { return m == NicModel::e1000e ? "e1000e" : "virtio-net"; }

const toml::array* table_array(const toml::node& node, std::string_view key, Problems& problems) {
  if (!node.is_array_of_tables() || node.as_array()->empty()) {
    problems.add(node.source(), key,
                 "'" + std::string(key) + "' must be an array of tables: write [[" + std::string(key) +
                     "]] before each one; it is " + type_phrase(node));
    return nullptr;
  }
  return node.as_array();
}

std::vector<Network> read_networks(const toml::node& node, const std::vector<Machine>& machines,
                                   Problems& problems) {
  std::vector<Network> networks;
  const toml::array* tables = table_array(node, "network", problems);
  if (tables == nullptr) return networks;
  for (std::size_t i = 0; i < tables->size(); ++i) {
    const auto& table = *tables->get(i)->as_table();
    const std::string path = indexed_path("network", i);
    check_known_keys(table, k_network_keys, "[[network]]", path, problems);
    Network n;
    n.where = problems.location(table);
    if (!table.contains("name"))
      problems.add(table.source(), key_path(path, "name"),
                   "[[network]] has no name; add e.g. name = \"storage\"");
    n.name = read_string(table, "name", "name = \"storage\"", path, problems).value_or("");
    for (const auto& other : networks)
      if (!n.name.empty() && other.name == n.name)
        problems.add(table.source(), key_path(path, "name"),
                     "network name '" + n.name + "' is already used by the network at line " +
                         std::to_string(other.where.line) + "; give each network its own name");
    const std::string label = n.name.empty() ? std::string("the network") : "network '" + n.name + "'";
    n.machines = read_members(table, label, path, machines, problems);
    n.nic = read_nic(table, path, problems);
    n.nic_given = table.contains("nic");
    for (const auto& other : networks)
      if (n.machines.size() == 2 && std::is_permutation(n.machines.begin(), n.machines.end(),
                                                        other.machines.begin(), other.machines.end()))
        problems.add(table.source(), path,
                     label + " links the same two machines as network '" + other.name + "' (line " +
                         std::to_string(other.where.line) + "); one network per pair is enough");
    networks.push_back(std::move(n));
  }
  return networks;
}

}  // namespace numalab::lab
