#include "workload/common/proc_swaps.hpp"

#include "workload/common/mountinfo.hpp"
#include "workload/common/proc_text.hpp"

namespace numalab::workload {

namespace {

constexpr std::size_t k_max_path = 4096;

std::optional<SwapArea> parse_line(std::string_view rest) {
  SwapArea a;
  std::string_view name = proc_text::next_word(rest);
  if (name.empty() || name.size() > k_max_path) return std::nullopt;
  a.filename = unescape_octal(name);
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
