#pragma once
// /proc/meminfo and a node's /sys/devices/system/node/nodeN/meminfo: one "Name: value [kB]" line per
// field; a node's lines start with "Node N " ("Node 0 MemTotal:  786012 kB"). Which fields exist
// depends on the kernel's configuration (Mlocked, HugePages_*), so a missing field is an error the
// caller can name, never 0.

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace numalab::workload {

// The value of the field `key` ("MemAvailable"), in kB (a field without a unit, such as
// HugePages_Total, as it is): "no MemAvailable line" when absent, "bad MemTotal line \"...\"" when
// its value is not a number of kB.
std::expected<std::uint64_t, std::string> meminfo_kb(std::string_view meminfo, std::string_view key);

}  // namespace numalab::workload
