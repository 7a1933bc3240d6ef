#include "workload/common/param_spec.hpp"

#include <cmath>
#include <cstdint>
#include <sstream>

#include "model/duration.hpp"
#include "model/size.hpp"

namespace numalab::workload {
namespace {

std::string number_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string size_text(double bytes) { return model::format_size(static_cast<std::uint64_t>(bytes)); }

std::string seconds_text(double s) { return number_text(s) + "s"; }

// The value in the unit of the spec's bounds; nullopt for a type without bounds.
std::optional<double> bounded_value(ParamType type, const nlohmann::json& value) {
  switch (type) {
    case ParamType::integer:
    case ParamType::number:
      if (value.is_number()) return value.get<double>();
      break;
    case ParamType::size:
      if (value.is_number_unsigned()) return static_cast<double>(value.get<std::uint64_t>());
      if (value.is_string())
        if (auto b = model::parse_size(value.get_ref<const std::string&>())) return static_cast<double>(*b);
      break;
    case ParamType::duration:
      if (value.is_number_unsigned()) return static_cast<double>(value.get<std::uint64_t>());
      if (value.is_string())
        if (auto d = model::parse_duration(value.get_ref<const std::string&>()))
          return static_cast<double>(d->count()) / 1000.0;
      break;
    default:
      break;
  }
  return std::nullopt;
}

std::string range_text(const ParamSpec& spec) {
  auto text = [&](double v) {
    if (spec.type == ParamType::size) return size_text(v);
    if (spec.type == ParamType::duration) return seconds_text(v);
    return number_text(v);
  };
  std::string kind = spec.type == ParamType::integer  ? "an integer "
                     : spec.type == ParamType::number ? "a number "
                     : spec.type == ParamType::size   ? "a size "
                                                      : "a duration ";
  if (spec.min && spec.max) return "must be " + kind + "from " + text(*spec.min) + " to " + text(*spec.max);
  if (spec.min) return "must be at least " + text(*spec.min);
  return "must be at most " + text(*spec.max);
}

std::string choices_text(const std::vector<std::string>& choices) {
  std::string out = "must be ";
  for (std::size_t i = 0; i < choices.size(); ++i)
    out += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + ("\"" + choices[i] + "\"");
  return out;
}

}  // namespace

const ParamSpec* find_param(const std::vector<ParamSpec>& params, std::string_view name) {
  for (const auto& p : params)
    if (p.name == name) return &p;
  return nullptr;
}

std::optional<std::string> value_problem(const ParamSpec& spec, const nlohmann::json& value) {
  if (spec.type == ParamType::string && !spec.choices.empty()) {
    if (!value.is_string()) return choices_text(spec.choices);
    for (const auto& c : spec.choices)
      if (c == value.get_ref<const std::string&>()) return std::nullopt;
    return choices_text(spec.choices);
  }
  if (!spec.min && !spec.max) return std::nullopt;
  auto v = bounded_value(spec.type, value);
  if (!v || !std::isfinite(*v)) return std::nullopt;  // the type is its reader's business
  if ((spec.min && *v < *spec.min) || (spec.max && *v > *spec.max)) return range_text(spec);
  return std::nullopt;
}

}  // namespace numalab::workload
