#pragma once
// Small helpers shared by the /proc parsers of this folder: whitespace-separated words and
// decimal numbers, without exceptions or allocation.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace numalab::workload::proc_text {

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The next word of rest (skipping leading blanks), or "" at the end; rest moves past it.
inline std::string_view next_word(std::string_view& rest) {
  std::size_t b = 0;
  while (b < rest.size() && is_space(rest[b])) ++b;
  std::size_t e = b;
  while (e < rest.size() && !is_space(rest[e])) ++e;
  std::string_view word = rest.substr(b, e - b);
  rest.remove_prefix(e);
  return word;
}

// The next line of rest, without its '\n'; rest moves past it.
inline std::string_view next_line(std::string_view& rest) {
  auto nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  return line;
}

// The whole of word as an unsigned decimal number.
template <class T = std::uint64_t>
std::optional<T> to_unsigned(std::string_view word) {
  T v{};
  if (word.empty() || word.front() == '-' || word.front() == '+') return std::nullopt;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
  if (ec != std::errc{} || end != word.data() + word.size()) return std::nullopt;
  return v;
}

// The whole of word as a signed decimal number.
template <class T = std::int64_t>
std::optional<T> to_signed(std::string_view word) {
  T v{};
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
  if (word.empty() || ec != std::errc{} || end != word.data() + word.size()) return std::nullopt;
  return v;
}

}  // namespace numalab::workload::proc_text
