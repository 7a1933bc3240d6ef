#pragma once
// What the running kernel says about its NUMA topology, read from sysfs and procfs under a root
// folder: "/" in the guest, a fake tree in a temporary folder in tests. std + nlohmann only, so the
// statically linked guest agent links it too.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/topology.hpp"

namespace numalab::workload {

// The kernel's list format: "0-3,8,10-11\n" -> {0,1,2,3,8,10,11}; "" or "\n" -> {}. Ids above
// 65535 or more than max_entries entries are errors.
std::expected<std::vector<int>, std::string> parse_cpu_list(std::string_view text,
                                                            std::size_t max_entries = 65536);

// A whole small file (sysfs and procfs files are read in one go); at most 1 MiB.
std::expected<std::string, std::string> read_small_file(const std::filesystem::path& path);

// The online nodes of root/sys/devices/system/node: for each, its online CPUs (nodeN/cpulist
// intersected with cpu/online), MemTotal from nodeN/meminfo, and its row of nodeN/distance. A
// kernel without NUMA (no node folder) is one node 0 with all online CPUs, /proc/meminfo's
// MemTotal and distance 10.
std::expected<model::Topology, std::string> read_sysfs_topology(const std::filesystem::path& root);

// root/sys/devices/system/cpu/online.
std::expected<std::vector<int>, std::string> read_online_cpus(const std::filesystem::path& root);
// MemTotal from root/proc/meminfo, in kB.
std::expected<std::uint64_t, std::string> read_mem_total_kb(const std::filesystem::path& root);
// The first number of root/proc/uptime.
std::expected<double, std::string> read_uptime_s(const std::filesystem::path& root);

}  // namespace numalab::workload
