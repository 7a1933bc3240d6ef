#pragma once
// The pattern the swap workload's memory hog writes into every page, so that a page that comes back
// from swap wrong (zeroed, stale from an earlier pass, another page's content, a torn write) is
// caught, with where it first differs. A page is 64-bit words:
//   word 0  k_page_magic
//   word 1  the page's index in the hog's buffer
//   word 2  the run's seed
//   word 3  the pass (each pass writes every page anew)
//   word i  key ^ (i * k_page_stride) for i >= 4, key mixed from index, seed and pass
// Cheap enough to write and check at memory speed under TCG, and no two pages or passes alike.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace numalab::workload {

inline constexpr std::uint64_t k_page_magic = 0x4e554d414c414221;  // "!BALAMUN" read little-endian
inline constexpr std::uint64_t k_page_stride = 0x9e3779b97f4a7c15;

struct PageStamp {
  std::uint64_t index = 0;
  std::uint64_t seed = 0;
  std::uint64_t pass = 0;
};

// Fills words (a page, at least 4 words) with the stamp's pattern.
void fill_page(std::span<std::uint64_t> words, const PageStamp& stamp);

// The byte offset of the first byte that differs from the stamp's pattern, nullopt when the page is
// intact.
std::optional<std::size_t> first_bad_byte(std::span<const std::uint64_t> words, const PageStamp& stamp);

}  // namespace numalab::workload
