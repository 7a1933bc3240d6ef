#include "workload/common/params.hpp"

#include "model/duration.hpp"
#include "model/size.hpp"

namespace numalab::workload {

namespace {

std::string quoted(std::string_view name) { return "params." + std::string(name); }

}  // namespace

std::expected<std::optional<std::uint64_t>, std::string> size_param(const nlohmann::json& params,
                                                                    std::string_view name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  if (it->is_string())
    if (auto v = model::parse_size(it->get_ref<const std::string&>())) return *v;
  return std::unexpected(quoted(name) + " must be a size such as \"64M\" or a number of bytes");
}

std::expected<std::optional<std::chrono::milliseconds>, std::string> duration_param(
    const nlohmann::json& params, std::string_view name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  if (it->is_number_unsigned() && it->get<std::uint64_t>() <= 1'000'000'000'000ULL)
    return std::chrono::seconds(it->get<std::int64_t>());
  if (it->is_string())
    if (auto v = model::parse_duration(it->get_ref<const std::string&>())) return *v;
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
