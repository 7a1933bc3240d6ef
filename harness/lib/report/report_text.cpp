#include "report/report_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <regex>

namespace numalab::report {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 sequence at s[i] and its code point, or 0 if there is none.
std::size_t sequence_at(std::string_view s, std::size_t i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  std::size_t len = 0;
  char32_t min = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool xml_char_allowed(char32_t cp) {
  if (cp < 0x20) return cp == 0x9 || cp == 0xA || cp == 0xD;
  return cp != 0xFFFE && cp != 0xFFFF;
}

}  // namespace

std::string valid_utf8(std::string_view s, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(s.size(), max_bytes));
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t len = sequence_at(s, i, cp);
    const bool keep = len > 0 && cp != 0;
    const std::string_view piece = keep ? s.substr(i, len) : k_replacement;
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
    i += keep ? len : 1;
  }
  return out;
}

std::string xml_escape(std::string_view s, bool attribute) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t len = sequence_at(s, i, cp);
    if (len == 0) {
      out += k_replacement;
      ++i;
      continue;
    }
    if (!xml_char_allowed(cp)) {
      out += cp < 0x20 ? fmt::format("\\x{:02x}", static_cast<unsigned>(cp))
                       : fmt::format("\\u{:04X}", static_cast<unsigned>(cp));
    } else if (cp == '&') {
      out += "&amp;";
    } else if (cp == '<') {
      out += "&lt;";
    } else if (cp == '>') {
      out += "&gt;";  // also keeps "]]>" out of character data
    } else if (cp == '\r') {
      out += "&#13;";  // a parser would turn a raw CR into LF
    } else if (attribute && cp == '"') {
      out += "&quot;";
    } else if (attribute && cp == '\t') {
      out += "&#9;";
    } else if (attribute && cp == '\n') {
      out += "&#10;";
    } else {
      out += s.substr(i, len);
    }
    i += len;
  }
  return out;
}

std::string readable(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "-";
  return fmt::format("{:.4g}", *v);
}

std::string first_line(std::string_view s, std::size_t max_bytes) {
  const auto end = s.find('\n');
  std::string line(s.substr(0, end));
  if (line.size() <= max_bytes) return line;
  line = valid_utf8(line, max_bytes > 3 ? max_bytes - 3 : 0);
  return line + "...";
}

std::string path_part(std::string_view s) {
  if (s.empty()) return "_";
  std::string out(s);
  for (char& c : out) {
    const bool keep =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!keep) c = '_';
  }
  return out;
}

bool not_run(result::Verdict verdict, std::string_view detail) {
  return verdict == result::Verdict::error && detail.starts_with("not run");
}

bool rfc3339_date_time(const std::string& s) {
  static const std::regex k_date_time(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))");
  return std::regex_match(s, k_date_time);
}

}  // namespace numalab::report
