#pragma once
// Sizes as lab files write them ("768M", "1G", "1048576"): a node's memory and a workload's size
// parameters, read the same by the lab parser on the host and by the guest agent.
//
// Units are binary: K = 1024, M = 1024^2, G = 1024^3, T = 1024^4, whatever the case. An optional
// trailing "B" or "iB" is accepted and changes nothing: "768MiB" and "768MB" both mean 768 MiB,
// and "1GB" means 1 GiB, not 10^9 bytes (memory sizes are never decimal in QEMU or the kernel).
// Plain digits, or digits followed by "B", are bytes. No sign, no fraction, no spaces anywhere,
// and a value that does not fit in 64 bits does not parse.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace numalab::model {

// "768M", "1G", "512K", "1048576", "0" -> bytes. nullopt when it does not parse.
std::optional<std::uint64_t> parse_size(std::string_view text);

// The shortest text parse_size reads back as `bytes`: "64M", "1G", "1536K", "4097".
std::string format_size(std::uint64_t bytes);

}  // namespace numalab::model
