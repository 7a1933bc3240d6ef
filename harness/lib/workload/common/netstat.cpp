#include "workload/common/netstat.hpp"

#include <charconv>
#include <vector>

namespace numalab::workload {

namespace {

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size() && out.size() <= k_max_vmstat_counters) {
    while (i < line.size() && line[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

}  // namespace

VmstatCounters parse_netstat(std::string_view text) {
  VmstatCounters out;
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto names = fields(lines[i]);
    if (names.empty()) continue;
    const std::string_view group = names[0];
    if (group.size() < 2 || group.back() != ':' || group.size() > k_max_vmstat_name ||
        i + 1 >= lines.size()) {
      ++out.skipped_lines;
      continue;
    }
    const auto values = fields(lines[i + 1]);
    if (values.empty() || values[0] != group || values.size() != names.size()) {
      ++out.skipped_lines;
      continue;
    }
    ++i;  // the values line is this group's
    const std::string_view prefix = group.substr(0, group.size() - 1);
    for (std::size_t k = 1; k < names.size() && out.values.size() < k_max_vmstat_counters; ++k) {
      std::uint64_t v = 0;
      const auto [p, ec] = std::from_chars(values[k].data(), values[k].data() + values[k].size(), v);
      if (ec != std::errc{} || p != values[k].data() + values[k].size() ||
          names[k].size() > k_max_vmstat_name) {
        ++out.skipped_lines;
        continue;
      }
      out.values.emplace(std::string(prefix) + "." + std::string(names[k]), v);
    }
  }
  return out;
}

}  // namespace numalab::workload
