#include "lab/workload_params.hpp"

#include <algorithm>

#include "lab/closest_name.hpp"
#include "lab/lab.hpp"
#include "lab/toml_reading.hpp"
#include "model/duration.hpp"
#include "model/size.hpp"

namespace numalab::lab {
namespace {

std::string expected_phrase(const ParamSpec& spec) {
  switch (spec.type) {
    case ParamType::string:
      return spec.choices.empty() ? "a string" : "a string, one of " + join_names(spec.choices);
    case ParamType::integer:
      return "an integer";
    case ParamType::number:
      return "a number";
    case ParamType::boolean:
      return "a boolean (true or false)";
    case ParamType::size:
      return "a size such as \"64M\" or an integer number of bytes";
    case ParamType::duration:
      return "a duration such as \"30s\" (ms, s, m, h) or an integer number of seconds";
    case ParamType::machine:
      return "the name of another machine of the lab";
  }
  return "a value";
}

bool is_non_negative_integer(const toml::node& value) {
  return value.is_integer() && value.as_integer()->get() >= 0;
}

// The value as JSON when its type fits the spec (choices are checked by the caller).
std::optional<nlohmann::json> typed_value(const toml::node& value, ParamType type) {
  switch (type) {
    case ParamType::string:
    case ParamType::machine:
      if (value.is_string()) return value.as_string()->get();
      break;
    case ParamType::integer:
      if (value.is_integer()) return value.as_integer()->get();
      break;
    case ParamType::number:
      if (value.is_integer()) return value.as_integer()->get();
      if (value.is_floating_point()) return value.as_floating_point()->get();
      break;
    case ParamType::boolean:
      if (value.is_boolean()) return value.as_boolean()->get();
      break;
    case ParamType::size:
      if (is_non_negative_integer(value)) return value.as_integer()->get();
      if (value.is_string() && model::parse_size(value.as_string()->get())) return value.as_string()->get();
      break;
    case ParamType::duration:
      if (is_non_negative_integer(value)) return value.as_integer()->get();
      if (value.is_string() && model::parse_duration(value.as_string()->get()))
        return value.as_string()->get();
      break;
  }
  return std::nullopt;
}

}  // namespace

std::optional<nlohmann::json> read_param(const toml::node& value, const ParamSpec& spec,
                                         std::string_view workload, std::string_view path,
                                         Problems& problems) {
  std::string where = "workload '" + std::string(workload) + "': '" + spec.name + "'";
  auto json = typed_value(value, spec.type);
  if (!json) {
    std::string shown = value.is_string() ? "\"" + value.as_string()->get() + "\"" : type_phrase(value);
    problems.add(value.source(), path, where + " must be " + expected_phrase(spec) + "; it is " + shown);
    return std::nullopt;
  }
  if (spec.type == ParamType::string && !spec.choices.empty()) {
    const std::string& text = value.as_string()->get();
    if (std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
      std::string hint = did_you_mean(text, spec.choices);
      problems.add(value.source(), path,
                   where + " is \"" + text + "\", which is not one of " + join_names(spec.choices) +
                       (hint.empty() ? "" : hint));
      return std::nullopt;
    }
  }
  if (auto problem = workload::value_problem(spec, *json)) {
    problems.add(value.source(), path, where + " " + *problem + "; it is " + json->dump());
    return std::nullopt;
  }
  return json;
}

}  // namespace numalab::lab
