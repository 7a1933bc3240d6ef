#pragma once
// Workload parameters as a lab file writes them, read in the guest. The host has checked their
// types against the workload catalogue already; these readers still reject anything else with a
// message, since the plan crossed a channel.

#include <chrono>
#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

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

}  // namespace numalab::workload
