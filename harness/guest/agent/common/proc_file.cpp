#include "common/proc_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/unique_fd.hpp"
#include "workload/common/meminfo.hpp"

namespace numalab::guest {

std::expected<std::string, std::string> read_proc_file(const std::filesystem::path& path,
                                                       std::size_t max_bytes) {
  util::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::unexpected(path.string() + ": " + std::strerror(errno));
  std::string text;
  char chunk[16384];
  for (;;) {
    ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::unexpected(path.string() + ": " + std::strerror(errno));
    if (n == 0) return text;
    if (text.size() + static_cast<std::size_t>(n) > max_bytes)
      return std::unexpected(path.string() + ": larger than " + std::to_string(max_bytes) + " bytes");
    text.append(chunk, static_cast<std::size_t>(n));
  }
}

std::expected<std::uint64_t, std::string> read_meminfo_kb(const std::filesystem::path& path,
                                                          std::string_view key) {
  auto text = read_proc_file(path);
  if (!text) return std::unexpected(text.error());
  auto kb = workload::meminfo_kb(*text, key);
  if (!kb) return std::unexpected(path.string() + ": " + kb.error());
  return kb;
}

}  // namespace numalab::guest
