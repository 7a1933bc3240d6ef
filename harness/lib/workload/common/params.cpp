#include "workload/common/params.hpp"

#include <charconv>
#include <limits>

namespace numalab::workload {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Leading decimal digits of text as a number; nullopt if there are none or they overflow.
std::optional<std::uint64_t> leading_number(std::string_view text, std::size_t& digits) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  digits = static_cast<std::size_t>(end - text.data());
  if (ec != std::errc{} || digits == 0 || text.front() == '-' || text.front() == '+') return std::nullopt;
  return value;
}

std::optional<int> size_shift(std::string_view suffix) {
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

std::string quoted(std::string_view name) { return "params." + std::string(name); }

}  // namespace

std::optional<std::uint64_t> parse_size_text(std::string_view text) {
  if (text.size() > 32) return std::nullopt;
  std::size_t digits = 0;
  auto value = leading_number(text, digits);
  if (!value) return std::nullopt;
  auto shift = size_shift(text.substr(digits));
  if (!shift || *value > (std::numeric_limits<std::uint64_t>::max() >> *shift)) return std::nullopt;
  return *value << *shift;
}

std::optional<std::chrono::milliseconds> parse_duration_text(std::string_view text) {
  std::size_t digits = 0;
  auto value = leading_number(text, digits);
  if (!value || digits > 12) return std::nullopt;
  auto count = static_cast<std::int64_t>(*value);
  std::string_view unit = text.substr(digits);
  if (unit == "ms") return std::chrono::milliseconds(count);
  if (unit == "s") return std::chrono::seconds(count);
  if (unit == "m") return std::chrono::minutes(count);
  if (unit == "h") return std::chrono::hours(count);
  return std::nullopt;
}

std::expected<std::optional<std::uint64_t>, std::string> size_param(const nlohmann::json& params,
                                                                    std::string_view name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  if (it->is_string())
    if (auto v = parse_size_text(it->get_ref<const std::string&>())) return *v;
  return std::unexpected(quoted(name) + " must be a size such as \"64M\" or a number of bytes");
}

std::expected<std::optional<std::chrono::milliseconds>, std::string> duration_param(
    const nlohmann::json& params, std::string_view name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  if (it->is_number_unsigned() && it->get<std::uint64_t>() <= 1'000'000'000'000ULL)
    return std::chrono::seconds(it->get<std::int64_t>());
  if (it->is_string())
    if (auto v = parse_duration_text(it->get_ref<const std::string&>())) return *v;
  return std::unexpected(quoted(name) + " must be a duration such as \"30s\" or a number of seconds");
}

std::expected<std::optional<std::int64_t>, std::string> integer_param(const nlohmann::json& params,
                                                                      std::string_view name, std::int64_t min,
                                                                      std::int64_t max) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  if (it->is_number_unsigned()) {
    auto u = it->get<std::uint64_t>();
    if (max >= 0 && u <= static_cast<std::uint64_t>(max) && static_cast<std::int64_t>(u) >= min)
      return static_cast<std::int64_t>(u);
  } else if (it->is_number_integer()) {
    auto v = it->get<std::int64_t>();
    if (v >= min && v <= max) return v;
  }
  return std::unexpected(quoted(name) + " must be an integer from " + std::to_string(min) + " to " +
                         std::to_string(max));
}

std::expected<std::optional<std::string>, std::string> string_param(const nlohmann::json& params,
                                                                    std::string_view name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  return std::unexpected(quoted(name) + " must be a string");
}

}  // namespace numalab::workload
