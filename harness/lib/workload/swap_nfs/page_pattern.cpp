#include "workload/swap_nfs/page_pattern.hpp"

#include <bit>

namespace numalab::workload {

namespace {

// splitmix64's finaliser: every input bit reaches every output bit.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9;
  x ^= x >> 27;
  x *= 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

std::uint64_t page_key(const PageStamp& s) { return mix(s.index ^ mix(s.seed ^ mix(s.pass))); }

std::uint64_t expected_word(std::size_t i, const PageStamp& s, std::uint64_t key) {
  switch (i) {
    case 0:
      return k_page_magic;
    case 1:
      return s.index;
    case 2:
      return s.seed;
    case 3:
      return s.pass;
    default:
      return key ^ (i * k_page_stride);  // the loops below inline this
  }
}

}  // namespace

void fill_page(std::span<std::uint64_t> words, const PageStamp& stamp) {
  const std::uint64_t key = page_key(stamp);
  for (std::size_t i = 0; i < words.size() && i < 4; ++i) words[i] = expected_word(i, stamp, key);
  for (std::size_t i = 4; i < words.size(); ++i) words[i] = key ^ (i * k_page_stride);
}

std::optional<std::size_t> first_bad_byte(std::span<const std::uint64_t> words, const PageStamp& stamp) {
  static_assert(std::endian::native == std::endian::little, "byte offsets assume little-endian words");
  const std::uint64_t key = page_key(stamp);
  auto at = [](std::size_t i, std::uint64_t diff) {
    return i * sizeof(std::uint64_t) + static_cast<std::size_t>(std::countr_zero(diff)) / 8;
  };
  for (std::size_t i = 0; i < words.size() && i < 4; ++i)
    if (const std::uint64_t diff = words[i] ^ expected_word(i, stamp, key)) return at(i, diff);
  for (std::size_t i = 4; i < words.size(); ++i)
    if (const std::uint64_t diff = words[i] ^ key ^ (i * k_page_stride)) return at(i, diff);
  return std::nullopt;
}

}  // namespace numalab::workload
