#include "workload/common/vmstat.hpp"

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

std::optional<std::uint64_t> VmstatCounters::get(std::string_view name) const {
  auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

VmstatCounters parse_vmstat(std::string_view text) {
  VmstatCounters out;
  while (!text.empty()) {
    std::string_view rest = proc_text::next_line(text);
    std::string_view name = proc_text::next_word(rest);
    if (name.empty()) continue;  // a blank line
    auto value = proc_text::to_unsigned(proc_text::next_word(rest));
    bool ok = value && name.size() <= k_max_vmstat_name && proc_text::next_word(rest).empty() &&
              (out.values.size() < k_max_vmstat_counters || out.values.contains(name));
    if (!ok) {
      ++out.skipped_lines;
      continue;
    }
    out.values.insert_or_assign(std::string(name), *value);
  }
  return out;
}

std::optional<std::uint64_t> counter_delta(const VmstatCounters& before, const VmstatCounters& after,
                                           std::string_view name) {
  auto b = before.get(name);
  auto a = after.get(name);
  if (!a || !b) return std::nullopt;
  return *a >= *b ? *a - *b : 0;
}

}  // namespace numalab::workload
