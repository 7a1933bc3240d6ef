#pragma once
// Reading a file the guest kernel writes (/proc, /sys) with a bound: procfs files report size 0,
// so they are read in chunks until end-of-file, and one that grows past max_bytes is an error
// rather than an unbounded allocation.

#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace numalab::guest {

std::expected<std::string, std::string> read_proc_file(const std::filesystem::path& path,
                                                       std::size_t max_bytes = 1024 * 1024);

// One field of a meminfo file (/proc/meminfo, or a node's), in kB (workload/common/meminfo.hpp).
std::expected<std::uint64_t, std::string> read_meminfo_kb(const std::filesystem::path& path,
                                                          std::string_view key);

}  // namespace numalab::guest
