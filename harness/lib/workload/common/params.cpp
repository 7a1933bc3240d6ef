#include "workload/common/params.hpp"

#include <cmath>
#include <limits>

#include "model/duration.hpp"
#include "model/size.hpp"

namespace numalab::workload {

namespace {

std::string quoted(std::string_view name) { return "params." + std::string(name); }

std::expected<std::optional<double>, std::string> number_value(const nlohmann::json& params,
                                                               std::string_view name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  if (it->is_number() && std::isfinite(it->get<double>())) return it->get<double>();
  return std::unexpected(quoted(name) + " must be a number");
}

std::expected<std::optional<bool>, std::string> boolean_value(const nlohmann::json& params,
                                                              std::string_view name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>();
  return std::unexpected(quoted(name) + " must be true or false");
}

std::expected<std::optional<std::int64_t>, std::string> any_integer(const nlohmann::json& params,
                                                                    std::string_view name) {
  auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  if (it->is_number_unsigned() &&
      it->get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return it->get<std::int64_t>();
  if (it->is_number_integer() && !it->is_number_unsigned()) return it->get<std::int64_t>();
  return std::unexpected(quoted(name) + " must be an integer");
}

// The parameter read by `read` from the lab's value or, absent, the spec's default, then checked
// against the spec's choices and range.
template <class T, class Read>
std::expected<std::optional<T>, std::string> through_spec(const nlohmann::json& params,
                                                          const std::vector<ParamSpec>& specs,
                                                          std::string_view name, ParamType type, Read read) {
  const ParamSpec* spec = find_param(specs, name);
  if (!spec || spec->type != type)
    return std::unexpected(quoted(name) + " is not a parameter of this type in the workload's spec");
  nlohmann::json one = nlohmann::json::object();
  if (auto it = params.find(name); it != params.end())
    one[spec->name] = *it;
  else if (!spec->default_value.is_null())
    one[spec->name] = spec->default_value;
  else
    return std::optional<T>{};
  auto value = read(one, spec->name);
  if (!value) return std::unexpected(value.error());
  if (auto problem = value_problem(*spec, one[spec->name]))
    return std::unexpected(quoted(name) + " " + *problem);
  return value;
}

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

std::expected<std::optional<std::uint64_t>, std::string> size_param(const nlohmann::json& params,
                                                                    const std::vector<ParamSpec>& specs,
                                                                    std::string_view name) {
  return through_spec<std::uint64_t>(
      params, specs, name, ParamType::size,
      [](const nlohmann::json& p, std::string_view n) { return size_param(p, n); });
}

std::expected<std::optional<std::chrono::milliseconds>, std::string> duration_param(
    const nlohmann::json& params, const std::vector<ParamSpec>& specs, std::string_view name) {
  return through_spec<std::chrono::milliseconds>(
      params, specs, name, ParamType::duration,
      [](const nlohmann::json& p, std::string_view n) { return duration_param(p, n); });
}

std::expected<std::optional<std::int64_t>, std::string> integer_param(const nlohmann::json& params,
                                                                      const std::vector<ParamSpec>& specs,
                                                                      std::string_view name) {
  return through_spec<std::int64_t>(params, specs, name, ParamType::integer, any_integer);
}

std::expected<std::optional<double>, std::string> number_param(const nlohmann::json& params,
                                                               const std::vector<ParamSpec>& specs,
                                                               std::string_view name) {
  return through_spec<double>(params, specs, name, ParamType::number, number_value);
}

std::expected<std::optional<std::string>, std::string> string_param(const nlohmann::json& params,
                                                                    const std::vector<ParamSpec>& specs,
                                                                    std::string_view name) {
  auto read = [](const nlohmann::json& p, std::string_view n) { return string_param(p, n); };
  const ParamSpec* spec = find_param(specs, name);
  return through_spec<std::string>(
      params, specs, name, spec && spec->type == ParamType::machine ? ParamType::machine : ParamType::string,
      read);
}

std::expected<std::optional<bool>, std::string> boolean_param(const nlohmann::json& params,
                                                              const std::vector<ParamSpec>& specs,
                                                              std::string_view name) {
  return through_spec<bool>(params, specs, name, ParamType::boolean, boolean_value);
}

}  // namespace numalab::workload
