#pragma once
// A [[workload]] table's parameters, checked against the ParamSpec the workload catalogue declares.

#include <toml++/toml.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "lab/problems.hpp"
#include "lab/workload_catalog.hpp"

namespace numalab::lab {

// The value of one parameter as JSON, as written in the lab file (a size stays "64M"); nullopt,
// with the problem reported, when its type or value does not fit the spec.
// Sizes: a size string (model/size.hpp) or a non-negative integer number of bytes.
// Durations: a non-negative integer number of seconds, or digits with ms, s, m or h ("30s").
std::optional<nlohmann::json> read_param(const toml::node& value, const ParamSpec& spec,
                                         std::string_view workload, std::string_view path,
                                         Problems& problems);

}  // namespace numalab::lab
