#include "agent/json_reader.hpp"

#include <cmath>

#include "agent/protocol.hpp"

namespace numalab::agent {

using nlohmann::json;

std::string truncate_utf8(std::string s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t cut = max_bytes;
  // Back off over continuation bytes (10xxxxxx) so the cut falls before a sequence's first byte.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  return s;
}

bool nesting_within(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

std::string parse_object_line(std::string_view line, json& out) {
  if (line.size() > k_max_line_bytes)
    return "line of " + std::to_string(line.size()) + " bytes, more than " + std::to_string(k_max_line_bytes);
  // The parser would take a NUL byte for the end of input and ignore what follows.
  if (line.find('\0') != std::string_view::npos) return "NUL byte in line";
  if (!nesting_within(line, k_max_nesting))
    return "JSON nested deeper than " + std::to_string(k_max_nesting) + " levels";
  out = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) return "not valid JSON";
  if (!out.is_object()) return "not a JSON object";
  return {};
}

JsonObjectReader::JsonObjectReader(const json& obj, std::string where) : obj_(obj), where_(std::move(where)) {
  if (!obj_.is_object()) error_ = where_ + ": expected an object";
}

std::string JsonObjectReader::path(std::string_view key) const {
  return where_.empty() ? std::string(key) : where_ + "." + std::string(key);
}

void JsonObjectReader::problem(std::string_view key, std::string_view what) {
  if (error_.empty()) error_ = path(key) + ": " + std::string(what);
}

const json* JsonObjectReader::member(std::string_view key, Presence presence) {
  if (!obj_.is_object()) return nullptr;
  auto it = obj_.find(key);
  if (it == obj_.end()) {
    if (presence == Presence::required) problem(key, "missing");
    return nullptr;
  }
  return &*it;
}

std::string JsonObjectReader::string(std::string_view key, std::size_t max_bytes, Overlong overlong,
                                     Presence presence) {
  const json* m = member(key, presence);
  if (m == nullptr) return {};
  if (!m->is_string()) {
    problem(key, "expected a string");
    return {};
  }
  const auto& s = m->get_ref<const std::string&>();
  if (s.size() > max_bytes && overlong == Overlong::reject) {
    problem(key, "longer than " + std::to_string(max_bytes) + " bytes");
    return {};
  }
  return truncate_utf8(s, max_bytes);
}

std::int64_t JsonObjectReader::integer(std::string_view key, std::int64_t min, std::int64_t max,
                                       Presence presence, std::int64_t fallback) {
  const json* m = member(key, presence);
  if (m == nullptr) return fallback;
  bool in_range = false;
  std::int64_t v = 0;
  if (m->is_number_unsigned()) {
    auto u = m->get<std::uint64_t>();
    in_range = max >= 0 && u <= static_cast<std::uint64_t>(max) && static_cast<std::int64_t>(u) >= min;
    v = in_range ? static_cast<std::int64_t>(u) : 0;
  } else if (m->is_number_integer()) {
    v = m->get<std::int64_t>();
    in_range = v >= min && v <= max;
  } else {
    problem(key, "expected an integer");
    return fallback;
  }
  if (!in_range) {
    problem(key, "outside " + std::to_string(min) + ".." + std::to_string(max));
    return fallback;
  }
  return v;
}

std::uint64_t JsonObjectReader::unsigned_integer(std::string_view key, Presence presence,
                                                 std::uint64_t fallback) {
  const json* m = member(key, presence);
  if (m == nullptr) return fallback;
  if (m->is_number_unsigned()) return m->get<std::uint64_t>();
  problem(key, m->is_number_integer() ? "negative" : "expected an unsigned integer");
  return fallback;
}

double JsonObjectReader::number(std::string_view key, double min, double max, Presence presence,
                                double fallback) {
  const json* m = member(key, presence);
  if (m == nullptr) return fallback;
  if (!m->is_number()) {
    problem(key, "expected a number");
    return fallback;
  }
  double v = m->get<double>();
  if (!std::isfinite(v) || v < min || v > max) {
    problem(key, "not a finite number in range");
    return fallback;
  }
  return v;
}

bool JsonObjectReader::boolean(std::string_view key, Presence presence, bool fallback) {
  const json* m = member(key, presence);
  if (m == nullptr) return fallback;
  if (!m->is_boolean()) {
    problem(key, "expected true or false");
    return fallback;
  }
  return m->get<bool>();
}

const json* JsonObjectReader::array(std::string_view key, std::size_t max_size, Presence presence) {
  const json* m = member(key, presence);
  if (m == nullptr) return nullptr;
  if (!m->is_array()) {
    problem(key, "expected an array");
    return nullptr;
  }
  if (m->size() > max_size) {
    problem(key, "more than " + std::to_string(max_size) + " entries");
    return nullptr;
  }
  return m;
}

const json* JsonObjectReader::object(std::string_view key, Presence presence) {
  const json* m = member(key, presence);
  if (m == nullptr) return nullptr;
  if (!m->is_object()) {
    problem(key, "expected an object");
    return nullptr;
  }
  return m;
}

}  // namespace numalab::agent
