#include "workload/common/proc_cgroups.hpp"

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

std::optional<ControllerLine> proc_cgroups_line(std::string_view text, std::string_view controller) {
  while (!text.empty()) {
    std::string_view line = proc_text::next_line(text);
    if (proc_text::next_word(line) != controller) continue;
    auto hierarchy = proc_text::to_unsigned<unsigned>(proc_text::next_word(line));
    auto count = proc_text::to_unsigned<unsigned>(proc_text::next_word(line));
    auto enabled = proc_text::to_unsigned<unsigned>(proc_text::next_word(line));
    if (!hierarchy || !count || !enabled || *hierarchy > 1u << 20 || *count > 1u << 30) return std::nullopt;
    return ControllerLine{static_cast<int>(*hierarchy), static_cast<int>(*count), *enabled != 0};
  }
  return std::nullopt;
}

std::optional<std::string> unified_cgroup_path(std::string_view text) {
  constexpr std::size_t k_max_bytes = 16 * 1024;
  if (text.size() > k_max_bytes) return std::nullopt;
  while (!text.empty()) {
    std::string_view line = proc_text::next_line(text);
    if (line.starts_with("0::/")) return std::string(line.substr(3));
  }
  return std::nullopt;
}

}  // namespace numalab::workload
