// decode_topology: the bounded, exception-free reading of a topology sent by the other side.

#include <string>

#include "agent/json_reader.hpp"
#include "agent/protocol.hpp"

namespace numalab::agent {

namespace {

constexpr int k_max_node_id = 1023;  // the kernel's MAX_NUMNODES is at most 1024
constexpr int k_max_cpu_id = 65535;  // well above any NR_CPUS
constexpr int k_max_distance = 255;  // ACPI SLIT entries are one byte

// Reads an array of small integers in [0, max_value]; an error message or "".
std::string read_int_array(const nlohmann::json& arr, int max_value, const std::string& where,
                           std::vector<int>& out) {
  out.clear();
  out.reserve(arr.size());
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const auto& e = arr[i];
    if (!e.is_number_unsigned() || e.get<std::uint64_t>() > static_cast<std::uint64_t>(max_value))
      return where + "[" + std::to_string(i) + "]: expected an integer in 0.." + std::to_string(max_value);
    out.push_back(static_cast<int>(e.get<std::uint64_t>()));
  }
  return {};
}

std::expected<model::NodeTopology, std::string> decode_node(const nlohmann::json& j,
                                                            const std::string& where) {
  JsonObjectReader r(j, where);
  model::NodeTopology node;
  node.id = static_cast<int>(r.integer("id", 0, k_max_node_id));
  node.memory_kb = r.unsigned_integer("memory_kb");
  const auto* cpus = r.array("cpus", k_max_node_cpus);
  if (!r.ok()) return std::unexpected(r.error());
  if (auto e = read_int_array(*cpus, k_max_cpu_id, r.path("cpus"), node.cpus); !e.empty())
    return std::unexpected(e);
  return node;
}

}  // namespace

std::expected<model::Topology, std::string> decode_topology(const nlohmann::json& j) {
  try {
    JsonObjectReader r(j, "topology");
    const auto* nodes = r.array("nodes", k_max_nodes);
    const auto* distances = r.array("distances", k_max_nodes);
    if (!r.ok()) return std::unexpected(r.error());
    model::Topology t;
    for (std::size_t i = 0; i < nodes->size(); ++i) {
      auto node = decode_node((*nodes)[i], r.path("nodes") + "[" + std::to_string(i) + "]");
      if (!node) return std::unexpected(node.error());
      t.nodes.push_back(std::move(*node));
    }
    for (std::size_t i = 0; i < distances->size(); ++i) {
      const auto& row = (*distances)[i];
      std::string where = r.path("distances") + "[" + std::to_string(i) + "]";
      if (!row.is_array() || row.size() > k_max_nodes)
        return std::unexpected(where + ": expected an array of at most " + std::to_string(k_max_nodes) +
                               " distances");
      t.distances.emplace_back();
      if (auto e = read_int_array(row, k_max_distance, where, t.distances.back()); !e.empty())
        return std::unexpected(e);
    }
    return t;
  } catch (const std::exception& e) {
    return std::unexpected(std::string("topology: ") + e.what());
  } catch (...) {
    return std::unexpected(std::string("topology: unexpected failure"));
  }
}

}  // namespace numalab::agent
