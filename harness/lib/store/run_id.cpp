#include "store/run_id.hpp"

#include <charconv>

namespace numalab::store {

namespace {
constexpr std::size_t k_run_id_digits = 4;
}

std::string format_run_id(std::int64_t id) {
  std::string digits = std::to_string(id);
  if (digits.size() < k_run_id_digits) digits.insert(0, k_run_id_digits - digits.size(), '0');
  return digits;
}

std::optional<std::int64_t> parse_run_id(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::string canonical_run_id(std::string_view text) {
  const auto id = parse_run_id(text);
  return id ? format_run_id(*id) : std::string(text);
}

}  // namespace numalab::store
