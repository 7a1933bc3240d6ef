#include "model/size.hpp"

#include <limits>
#include <utility>

namespace numalab::model {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// The power of two a unit suffix multiplies by, or nullopt for a suffix that is not a unit.
std::optional<int> unit_shift(std::string_view suffix) {
  int shift = 0;
  if (!suffix.empty()) {
    switch (lower(suffix.front())) {
      case 'k':
        shift = 10;
        break;
      case 'm':
        shift = 20;
        break;
      case 'g':
        shift = 30;
        break;
      case 't':
        shift = 40;
        break;
      default:
        break;
    }
  }
  std::string rest;
  for (char c : suffix.substr(shift == 0 ? 0 : 1)) rest += lower(c);
  if (rest.empty() || rest == "b" || (rest == "ib" && shift != 0)) return shift;
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  constexpr auto k_max = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t value = 0;
  std::size_t digits = 0;
  for (; digits < text.size() && text[digits] >= '0' && text[digits] <= '9'; ++digits) {
    auto digit = static_cast<std::uint64_t>(text[digits] - '0');
    if (value > (k_max - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  if (digits == 0) return std::nullopt;
  auto shift = unit_shift(text.substr(digits));
  if (!shift) return std::nullopt;
  if (value > (k_max >> *shift)) return std::nullopt;
  return value << *shift;
}

std::string format_size(std::uint64_t bytes) {
  constexpr std::pair<int, char> k_units[] = {{40, 'T'}, {30, 'G'}, {20, 'M'}, {10, 'K'}};
  if (bytes != 0)
    for (auto [shift, unit] : k_units)
      if (bytes % (std::uint64_t{1} << shift) == 0) return std::to_string(bytes >> shift) + unit;
  return std::to_string(bytes);
}

}  // namespace numalab::model
