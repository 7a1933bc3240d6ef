#pragma once
// Reads the kernel release ("6.1.0-56-amd64") from an x86 bzImage's setup header, so a kernel
// given as a path can be matched with its modules before it boots.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace numalab::kernel {

// The first word of the version string the header points at; nullopt when the file is not a
// bzImage (no "HdrS" magic, protocol older than 2.00, or an offset outside the file).
std::optional<std::string> bzimage_release(const std::filesystem::path& image);
std::optional<std::string> bzimage_release_from_bytes(std::string_view head);

}  // namespace numalab::kernel
