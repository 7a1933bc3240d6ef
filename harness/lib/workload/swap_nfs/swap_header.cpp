#include "workload/swap_nfs/swap_header.hpp"

#include <algorithm>
#include <bit>
#include <limits>

namespace numalab::workload {

namespace {

void put_u32_le(std::vector<std::uint8_t>& page, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) page[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

std::expected<std::vector<std::uint8_t>, std::string> swap_header_page(const SwapHeaderSpec& spec) {
  static_assert(std::endian::native == std::endian::little, "the swap header is written little-endian");
  if (spec.page_size < 2048 || !std::has_single_bit(spec.page_size))
    return std::unexpected("page size " + std::to_string(spec.page_size) + " cannot hold a swap header");
  const std::uint64_t pages = spec.area_bytes / spec.page_size;
  if (pages < k_min_swap_pages)
    return std::unexpected("a swap area of " + std::to_string(spec.area_bytes) + " bytes has fewer than " +
                           std::to_string(k_min_swap_pages) + " pages");
  if (pages - 1 > std::numeric_limits<std::uint32_t>::max())
    return std::unexpected("a swap area of " + std::to_string(pages) +
                           " pages is too large for a swap header");
  if (spec.label.size() > k_swap_label_bytes)
    return std::unexpected("swap label \"" + spec.label + "\" is longer than 16 bytes");

  std::vector<std::uint8_t> page(spec.page_size, 0);
  put_u32_le(page, k_swap_version_offset, 1);
  put_u32_le(page, k_swap_last_page_offset, static_cast<std::uint32_t>(pages - 1));
  put_u32_le(page, k_swap_nr_badpages_offset, 0);
  std::copy(spec.uuid.begin(), spec.uuid.end(), page.begin() + k_swap_uuid_offset);
  std::copy(spec.label.begin(), spec.label.end(), page.begin() + k_swap_label_offset);
  std::copy(k_swap_magic.begin(), k_swap_magic.end(), page.end() - static_cast<long>(k_swap_magic.size()));
  return page;
}

}  // namespace numalab::workload
