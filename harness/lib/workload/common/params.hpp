#pragma once
// Workload parameters as a lab file writes them, read in the guest. The host has checked them
// against the workload's spec already; these readers still reject anything else with a message,
// since the plan crossed a channel. A workload reads its parameters through its spec (the second
// group): the spec's default and range, not a copy of them.

#include <chrono>
#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workload/common/param_spec.hpp"

namespace numalab::workload {

// "64M", "1G", "4096", "512K" (binary units, an optional "B"/"iB") or an integer number of bytes.
// Absent: nullopt.
std::expected<std::optional<std::uint64_t>, std::string> size_param(const nlohmann::json& params,
                                                                    std::string_view name);

// "30s", "500ms", "2m", "1h" or an integer number of seconds. Absent: nullopt.
std::expected<std::optional<std::chrono::milliseconds>, std::string> duration_param(
    const nlohmann::json& params, std::string_view name);

// An integer in [min, max]. Absent: nullopt.
std::expected<std::optional<std::int64_t>, std::string> integer_param(const nlohmann::json& params,
                                                                      std::string_view name, std::int64_t min,
                                                                      std::int64_t max);

// A string. Absent: nullopt.
std::expected<std::optional<std::string>, std::string> string_param(const nlohmann::json& params,
                                                                    std::string_view name);

// Through the spec: the parameter `name` of a workload whose parameters are `specs`, its type,
// choices and range checked; absent, the spec's default; nullopt when absent without a default.
// A name `specs` lacks, or of another type, is an error (a slip in the agent: reported, never a
// crash).
std::expected<std::optional<std::uint64_t>, std::string> size_param(const nlohmann::json& params,
                                                                    const std::vector<ParamSpec>& specs,
                                                                    std::string_view name);
std::expected<std::optional<std::chrono::milliseconds>, std::string> duration_param(
    const nlohmann::json& params, const std::vector<ParamSpec>& specs, std::string_view name);
std::expected<std::optional<std::int64_t>, std::string> integer_param(const nlohmann::json& params,
                                                                      const std::vector<ParamSpec>& specs,
                                                                      std::string_view name);
std::expected<std::optional<double>, std::string> number_param(const nlohmann::json& params,
                                                               const std::vector<ParamSpec>& specs,
                                                               std::string_view name);
std::expected<std::optional<std::string>, std::string> string_param(const nlohmann::json& params,
                                                                    const std::vector<ParamSpec>& specs,
                                                                    std::string_view name);
std::expected<std::optional<bool>, std::string> boolean_param(const nlohmann::json& params,
                                                              const std::vector<ParamSpec>& specs,
                                                              std::string_view name);

}  // namespace numalab::workload
