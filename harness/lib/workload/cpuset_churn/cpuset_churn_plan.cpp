#include "workload/cpuset_churn/cpuset_churn_plan.hpp"

#include "workload/common/params.hpp"

namespace numalab::workload {

std::vector<NodeMask> churn_mems(const NodeMask& memory_nodes) {
  auto ids = node_ids(memory_nodes);
  std::vector<NodeMask> out;
  if (ids.size() <= 4) {
    for (unsigned bits = 1; bits < (1u << ids.size()); ++bits) {
      NodeMask m;
      for (std::size_t i = 0; i < ids.size(); ++i)
        if (bits & (1u << i)) m.set(static_cast<std::size_t>(ids[i]));
      out.push_back(m);
    }
    return out;
  }
  for (int id : ids) out.push_back(nodes({id}));
  out.push_back(memory_nodes);
  return out;
}

std::uint64_t hog_bytes(std::uint64_t available_kb, double pressure) {
  constexpr std::uint64_t chunk = 2ULL << 20;
  if (!(pressure > 0)) return 0;
  if (pressure > 1) pressure = 1;
  auto bytes = static_cast<std::uint64_t>(static_cast<double>(available_kb) * 1024.0 * pressure);
  return bytes / chunk * chunk;
}

std::expected<std::chrono::milliseconds, std::string> stall_timeout_param(const nlohmann::json& params) {
  auto given = duration_param(params, "stall_timeout");
  if (!given) return std::unexpected(given.error());
  const auto timeout = given->value_or(k_default_stall_timeout);
  if (timeout < k_min_stall_timeout)
    return std::unexpected("stall_timeout: expected at least " + std::to_string(k_min_stall_timeout.count()) +
                           " s (a hang is no iteration for that long)");
  return timeout;
}

ChurnStall churn_stall(std::chrono::milliseconds since_progress, std::chrono::milliseconds timeout) {
  if (since_progress > timeout) return ChurnStall::hang;
  if (since_progress > timeout / 2) return ChurnStall::suspected;
  return ChurnStall::none;
}

}  // namespace numalab::workload
