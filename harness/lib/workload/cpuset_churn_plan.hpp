#pragma once
// What the cpuset-churn workload churns, as data: the mems its cpusets take in turn, and how much
// memory its hog keeps allocated (from /proc/meminfo's MemAvailable).

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "workload/mempolicy_remap.hpp"

namespace numalab::workload {

// Every non-empty subset of up to four memory nodes, in counting order ({0}, {1}, {0,1}, ...);
// with more nodes, each node alone and then all of them.
std::vector<NodeMask> churn_mems(const NodeMask& memory_nodes);

// The value of a /proc/meminfo line ("MemAvailable:   812340 kB"), in kB; nullopt when absent or
// malformed.
std::optional<std::uint64_t> meminfo_kb(std::string_view meminfo, std::string_view key);

// The hog's size: `pressure` (0..1) of the available memory, in whole 2 MiB chunks.
std::uint64_t hog_bytes(std::uint64_t available_kb, double pressure);

}  // namespace numalab::workload
