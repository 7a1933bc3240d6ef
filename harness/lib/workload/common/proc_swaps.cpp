#include "workload/common/proc_swaps.hpp"

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

namespace {

constexpr std::size_t k_max_path = 4096;

bool is_octal(char c) { return c >= '0' && c <= '7'; }

// seq_file_path's escapes undone: "\040" is a space. A backslash not followed by three octal
// digits stays as it is.
std::string unescape(std::string_view word) {
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] == '\\' && i + 3 < word.size() && is_octal(word[i + 1]) && is_octal(word[i + 2]) &&
        is_octal(word[i + 3])) {
      out += static_cast<char>(((word[i + 1] - '0') << 6) | ((word[i + 2] - '0') << 3) | (word[i + 3] - '0'));
      i += 3;
    } else {
      out += word[i];
    }
  }
  return out;
}

std::optional<SwapArea> parse_line(std::string_view rest) {
  SwapArea a;
  std::string_view name = proc_text::next_word(rest);
  if (name.empty() || name.size() > k_max_path) return std::nullopt;
  a.filename = unescape(name);
  a.type = std::string(proc_text::next_word(rest).substr(0, 16));
  auto size = proc_text::to_unsigned(proc_text::next_word(rest));
  auto used = proc_text::to_unsigned(proc_text::next_word(rest));
  auto prio = proc_text::to_signed(proc_text::next_word(rest));
  if (a.type.empty() || !size || !used || !prio) return std::nullopt;
  a.size_kb = *size;
  a.used_kb = *used;
  a.priority = *prio;
  return a;
}

}  // namespace

std::vector<SwapArea> parse_proc_swaps(std::string_view text) {
  std::vector<SwapArea> out;
  for (std::size_t n = 0; n <= k_max_swap_areas && !text.empty(); ++n) {
    std::string_view line = proc_text::next_line(text);
    if (n == 0 && line.starts_with("Filename")) continue;
    if (auto a = parse_line(line)) out.push_back(std::move(*a));
    if (out.size() == k_max_swap_areas) break;
  }
  return out;
}

std::optional<SwapArea> find_swap_area(std::string_view proc_swaps_text, std::string_view filename) {
  for (auto& a : parse_proc_swaps(proc_swaps_text))
    if (a.filename == filename) return a;
  return std::nullopt;
}

}  // namespace numalab::workload
