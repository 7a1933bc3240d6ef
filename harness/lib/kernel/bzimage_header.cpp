#include "kernel/bzimage_header.hpp"

#include <fstream>

namespace numalab::kernel {

namespace {

// Offsets from Documentation/x86/boot.rst: the setup header's magic, boot protocol version and
// kernel_version pointer (relative to 0x200).
constexpr std::size_t k_magic_at = 0x202;
constexpr std::size_t k_protocol_at = 0x206;
constexpr std::size_t k_version_pointer_at = 0x20E;
constexpr std::size_t k_head_bytes = 0x10000;

unsigned read_u16(std::string_view bytes, std::size_t at) {
  return static_cast<unsigned char>(bytes[at]) |
         static_cast<unsigned>(static_cast<unsigned char>(bytes[at + 1])) << 8;
}

}  // namespace

std::optional<std::string> bzimage_release_from_bytes(std::string_view head) {
  if (head.size() < k_version_pointer_at + 2 || head.substr(k_magic_at, 4) != "HdrS") return std::nullopt;
  if (read_u16(head, k_protocol_at) < 0x200) return std::nullopt;
  const std::size_t at = read_u16(head, k_version_pointer_at) + 0x200;
  if (at >= head.size()) return std::nullopt;
  std::string release;
  for (std::size_t i = at; i < head.size() && release.size() < 64; ++i) {
    const char c = head[i];
    if (c == ' ' || c == '\0') break;
    if (c < '!' || c > '~') return std::nullopt;
    release += c;
  }
  if (release.empty()) return std::nullopt;
  return release;
}

std::optional<std::string> bzimage_release(const std::filesystem::path& image) {
  std::ifstream in(image, std::ios::binary);
  std::string head(k_head_bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return bzimage_release_from_bytes(head);
}

}  // namespace numalab::kernel
