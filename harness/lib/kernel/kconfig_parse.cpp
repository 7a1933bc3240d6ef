// parse_kconfig and read_kconfig: .config and fragment text, line by line, as kconfig's
// conf_read_simple reads it, but strict where kconfig would silently ignore or misread a line.
#include <algorithm>
#include <cctype>
#include <expected>
#include <optional>

#include "kernel/kconfig.hpp"
#include "util/file_contents.hpp"

namespace numalab::kernel {

using util::ErrorKind;
using util::fail;

namespace {

constexpr std::string_view k_prefix = "CONFIG_";
constexpr std::string_view k_not_set_prefix = "# CONFIG_";
constexpr std::string_view k_not_set_suffix = " is not set";
constexpr std::string_view k_how = "write CONFIG_NAME=VALUE, '# CONFIG_NAME is not set' or a # comment";

struct ParsedLine {
  std::string name;
  KconfigValue value;
};

// A line's result: an option, nothing (blank or comment), or what is wrong with it.
using LineResult = std::expected<std::optional<ParsedLine>, std::string>;

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_digits(std::string_view s, bool hex) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((hex ? std::isxdigit(u) : std::isdigit(u)) == 0) return false;
  }
  return !s.empty();
}

std::size_t name_length(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && is_name_char(s[n])) ++n;
  return n;
}

// What may follow a value or "is not set": nothing, or blanks and a # comment.
bool only_comment_left(std::string_view rest) {
  std::size_t i = 0;
  while (i < rest.size() && is_space(rest[i])) ++i;
  return i == rest.size() || (i > 0 && rest[i] == '#');
}

bool is_plain_value(std::string_view v) {
  if (v == "y" || v == "m" || v == "n") return true;
  std::string_view digits = v.starts_with('-') ? v.substr(1) : v;
  if (is_digits(digits, false)) return true;
  return (v.starts_with("0x") || v.starts_with("0X")) && is_digits(v.substr(2), true);
}

// Length of a "quoted string" at the start of `s`, quotes included; 0 when it does not end.
std::size_t quoted_length(std::string_view s) {
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '\\')
      ++i;
    else if (s[i] == '"')
      return i + 1;
  }
  return 0;
}

LineResult parse_not_set(std::string_view line) {
  std::string_view rest = line.substr(k_not_set_prefix.size());
  const std::size_t n = name_length(rest);
  if (n == 0 || !rest.substr(n).starts_with(k_not_set_suffix)) return std::nullopt;  // a comment
  if (!only_comment_left(rest.substr(n + k_not_set_suffix.size())))
    return std::unexpected("'" + std::string(line) +
                           "' has text after 'is not set'; a reason goes after ' # '");
  return ParsedLine{std::string(rest.substr(0, n)), KconfigValue::not_set()};
}

LineResult parse_assignment(std::string_view line) {
  std::string_view rest = line.substr(k_prefix.size());
  const std::size_t n = name_length(rest);
  const std::string shown = "'" + std::string(line) + "'";
  if (n == 0 || n == rest.size() || rest[n] != '=')
    return std::unexpected(shown + " is not NAME=VALUE (names are letters, digits and _); " +
                           std::string(k_how));
  std::string name(rest.substr(0, n));
  std::string_view value = rest.substr(n + 1);
  std::size_t length = 0;
  if (value.starts_with('"')) {
    length = quoted_length(value);
    if (length == 0) return std::unexpected(shown + " has a string without its closing '\"'");
  } else {
    while (length < value.size() && !is_space(value[length]) && value[length] != '#') ++length;
    if (length == 0)
      return std::unexpected(shown + " has no value; write CONFIG_" + name + "=y or '# CONFIG_" + name +
                             " is not set'");
    if (!is_plain_value(value.substr(0, length)))
      return std::unexpected(shown + " has the value '" + std::string(value.substr(0, length)) +
                             "'; values are y, m, n, a number, 0x and hex digits, or a \"quoted string\"");
  }
  if (!only_comment_left(value.substr(length)))
    return std::unexpected(shown + " has text after its value; a reason goes after ' # '");
  std::string text(value.substr(0, length));
  return ParsedLine{std::move(name), text == "n" ? KconfigValue::not_set() : KconfigValue{std::move(text)}};
}

LineResult parse_line(std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);
  while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
  if (line.empty()) return std::nullopt;
  if (line.starts_with(k_not_set_prefix)) return parse_not_set(line);
  if (line.starts_with('#')) return std::nullopt;
  if (line.starts_with(k_prefix)) return parse_assignment(line);
  if (is_space(line.front()))
    return std::unexpected("'" + std::string(line) +
                           "' starts with blanks, and kconfig ignores such lines; " +
                           "start it at the first column");
  return std::unexpected("'" + std::string(line) + "' is not a kconfig line; " + std::string(k_how));
}

}  // namespace

util::Result<KconfigSettings> parse_kconfig(std::string_view text, std::string_view source) {
  KconfigSettings settings;
  std::size_t number = 0;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string where = std::string(source) + ":" + std::to_string(++number);
    auto parsed = parse_line(text.substr(start, end - start));
    start = end + 1;
    if (!parsed) return fail(ErrorKind::bad_input, where + ": " + parsed.error());
    if (!parsed->has_value()) continue;
    auto& [name, value] = **parsed;
    if (auto seen = settings.options.find(name); seen != settings.options.end())
      return fail(ErrorKind::bad_input, where + ": CONFIG_" + name + " is already set at " +
                                            seen->second.where + "; keep one of the two lines");
    settings.set(std::move(name), std::move(value), where);
  }
  return settings;
}

util::Result<KconfigSettings> read_kconfig(const std::filesystem::path& file, std::string_view shown_as) {
  const std::string name = shown_as.empty() ? file.string() : std::string(shown_as);
  auto text = util::read_file(file);
  if (!text)
    return fail(ErrorKind::bad_input,
                shown_as.empty() ? text.error().message : name + ": " + text.error().message);
  return parse_kconfig(*text, name);
}

}  // namespace numalab::kernel
