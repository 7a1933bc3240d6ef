#pragma once
// What a workload's parameters are: name, type, the values allowed, the default and the help a
// user reads. Each workload has one spec (lib/workload/NAME/NAME_spec.*). The lab parser on the
// host rejects a [[workload]] table that does not fit it (lib/lab/workload_catalog composes them);
// the guest agent decodes the plan's parameters through the same spec (params.hpp), so neither
// side repeats a default or a range.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace numalab::workload {

// machine: the name of another lab machine, which must share a [[network]] with this one and run a
// workload that provides a service; this machine's workloads then start once that service is ready.
enum class ParamType { string, integer, number, boolean, size, duration, machine };

struct ParamSpec {
  // Positionally, as the specs are written: name, type, choices, help, then the optional rest.
  ParamSpec(std::string n, ParamType t, std::vector<std::string> c, std::string h, bool r = false,
            std::optional<double> lo = std::nullopt, std::optional<double> hi = std::nullopt,
            nlohmann::json d = nullptr)
      : name(std::move(n)),
        type(t),
        choices(std::move(c)),
        help(std::move(h)),
        required(r),
        min(lo),
        max(hi),
        default_value(std::move(d)) {}

  std::string name;
  ParamType type = ParamType::string;
  std::vector<std::string> choices;  // for strings: the allowed values; empty means any
  std::string help;
  bool required = false;  // a [[workload]] table without it is an error
  // The smallest and largest value allowed: integers and numbers as they are, sizes in bytes,
  // durations in seconds. nullopt: no bound but the type's.
  std::optional<double> min;
  std::optional<double> max;
  // The value the workload uses when the lab file leaves the parameter out, as a lab file writes
  // it (64, 0.9, "32M", "20s", "both"); null when the workload works it out itself (its help says
  // how).
  nlohmann::json default_value;
};

struct WorkloadSpec {
  std::string name;
  std::string summary;
  std::vector<ParamSpec> params;
};

const ParamSpec* find_param(const std::vector<ParamSpec>& params, std::string_view name);

// Why `value`, JSON of the spec's type, is not allowed: "must be an integer from 1 to 64",
// "must be \"3\" or \"4.2\""; nullopt when it is. Shared by the lab parser and the guest.
std::optional<std::string> value_problem(const ParamSpec& spec, const nlohmann::json& value);

}  // namespace numalab::workload
