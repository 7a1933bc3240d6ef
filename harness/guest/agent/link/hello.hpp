#pragma once
// The hello: what the guest sees, read when the agent starts.

#include <filesystem>
#include <string>
#include <vector>

#include "agent/protocol.hpp"

namespace numalab::guest {

// uname, the topology under root (see workload::read_sysfs_topology), the online CPU count, MemTotal
// and uptime. What cannot be read becomes a note, after the notes passed in.
agent::Hello collect_hello(const std::filesystem::path& root, std::vector<std::string> notes);

// Seconds since boot, suspend included (CLOCK_BOOTTIME, what /proc/uptime shows).
double seconds_since_boot();

}  // namespace numalab::guest
