#include "model/topology.hpp"

#include <nlohmann/json.hpp>

namespace numalab::model {

void to_json(nlohmann::json& j, const NodeTopology& n) {
  j = nlohmann::json{{"id", n.id}, {"cpus", n.cpus}, {"memory_kb", n.memory_kb}};
}

void from_json(const nlohmann::json& j, NodeTopology& n) {
  j.at("id").get_to(n.id);
  j.at("cpus").get_to(n.cpus);
  j.at("memory_kb").get_to(n.memory_kb);
}

void to_json(nlohmann::json& j, const Topology& t) {
  j = nlohmann::json{{"nodes", t.nodes}, {"distances", t.distances}};
}

void from_json(const nlohmann::json& j, Topology& t) {
  j.at("nodes").get_to(t.nodes);
  j.at("distances").get_to(t.distances);
}

std::string format_cpu_list(const std::vector<int>& cpus) {
  std::string out;
  for (std::size_t i = 0; i < cpus.size();) {
    std::size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(cpus[i]);
    if (j > i) out += '-' + std::to_string(cpus[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace numalab::model
