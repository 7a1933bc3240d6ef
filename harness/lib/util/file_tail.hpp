#pragma once
// The end of a log, for an error message: what QEMU, make or tar said last.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace numalab::util {

// The last `max_lines` lines of a text file, each indented by two spaces, cut at 300 characters
// ("..." marks the cut) and ending in a newline. When the file is empty or cannot be read,
// `if_empty` as that one line: "  (QEMU printed nothing)\n".
std::string tail_of_file(const std::filesystem::path& file, std::size_t max_lines = 8,
                         std::string_view if_empty = "(the log is empty)");

}  // namespace numalab::util
