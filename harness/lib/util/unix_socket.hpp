#pragma once
// Unix stream sockets: listen on a path (mode 0600), accept with a deadline.

#include <filesystem>

#include "util/deadline.hpp"
#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace numalab::util {

// sockaddr_un limits paths to 107 bytes; longer paths fail with a message that says so.
Result<UniqueFd> listen_unix(const std::filesystem::path& path);
Result<UniqueFd> connect_unix(const std::filesystem::path& path);
constexpr std::size_t k_max_unix_path = 107;

}  // namespace numalab::util
