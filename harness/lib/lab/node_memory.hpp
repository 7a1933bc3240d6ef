#pragma once
// The memory of one [[machine.node]]: a size string ("512M") or an integer number of bytes, a whole
// number of MiB (QEMU's memory backends need it); "0" makes a memory-less node.

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "lab/problems.hpp"

namespace numalab::lab {

inline constexpr std::uint64_t k_mib = 1024 * 1024;

// The node's memory in bytes; nullopt, with the problem reported, when it is missing or wrong.
std::optional<std::uint64_t> read_node_memory(const toml::table& node, std::size_t id, std::string_view path,
                                              Problems& problems);

}  // namespace numalab::lab
