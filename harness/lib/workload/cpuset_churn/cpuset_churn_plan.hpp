#pragma once
// What the cpuset-churn workload churns, as data: the mems its cpusets take in turn, how much
// memory its hog keeps allocated (from /proc/meminfo's MemAvailable), and when a pause of the churn
// is a stall.

#include <chrono>
#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "workload/common/mempolicy_remap.hpp"

namespace numalab::workload {

// Every non-empty subset of up to four memory nodes, in counting order ({0}, {1}, {0,1}, ...);
// with more nodes, each node alone and then all of them.
std::vector<NodeMask> churn_mems(const NodeMask& memory_nodes);

// The hog's size: `pressure` (0..1) of the available memory, in whole 2 MiB chunks.
std::uint64_t hog_bytes(std::uint64_t available_kb, double pressure);

// How long the churn may go without finishing an iteration before the workload calls it a hang.
// Under TCG on a loaded 2-core host an iteration normally ends within a few seconds, and within
// 13 s when the host starves a vCPU (lab/numa4.toml's comment has the measurements); a stall is
// no progress at all, long past that.
inline constexpr std::chrono::seconds k_default_stall_timeout{60};
inline constexpr std::chrono::seconds k_min_stall_timeout{2};

// The lab file's `stall_timeout` ("90s", or whole seconds), k_default_stall_timeout when absent;
// an error below k_min_stall_timeout.
std::expected<std::chrono::milliseconds, std::string> stall_timeout_param(const nlohmann::json& params);

// What a pause of `since_progress` without an ended iteration is: nothing yet; suspected from
// half the timeout (the workload leaves the evidence on the console then and keeps waiting); a
// hang past the whole timeout.
enum class ChurnStall { none, suspected, hang };
ChurnStall churn_stall(std::chrono::milliseconds since_progress, std::chrono::milliseconds timeout);

}  // namespace numalab::workload
