#pragma once
// JSON documents numalab writes for people and tools (summary.json, compare.json, --json): indented,
// one per file, and never refused for invalid UTF-8 in guest text (it becomes U+FFFD).

#include <nlohmann/json.hpp>
#include <string>

namespace numalab::util {

inline std::string json_document(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace numalab::util
