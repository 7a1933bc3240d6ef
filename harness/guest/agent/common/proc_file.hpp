#pragma once
// Reading a file the guest kernel writes (/proc, /sys) with a bound: procfs files report size 0,
// so they are read in chunks until end-of-file, and one that grows past max_bytes is an error
// rather than an unbounded allocation.

#include <cstddef>
#include <expected>
#include <filesystem>
#include <string>

namespace numalab::guest {

std::expected<std::string, std::string> read_proc_file(const std::filesystem::path& path,
                                                       std::size_t max_bytes = 1024 * 1024);

}  // namespace numalab::guest
