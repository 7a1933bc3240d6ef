#include "workload/common/meminfo.hpp"

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

std::expected<std::uint64_t, std::string> meminfo_kb(std::string_view meminfo, std::string_view key) {
  while (!meminfo.empty()) {
    std::string_view line = proc_text::next_line(meminfo);
    std::string_view rest = line;
    std::string_view name = proc_text::next_word(rest);
    if (name == "Node") {  // a node's meminfo: "Node 0 MemTotal: ..."
      proc_text::next_word(rest);
      name = proc_text::next_word(rest);
    }
    if (name.size() != key.size() + 1 || !name.starts_with(key) || name.back() != ':') continue;
    auto value = proc_text::to_unsigned(proc_text::next_word(rest));
    std::string_view unit = proc_text::next_word(rest);
    if (!value || (unit != "kB" && !unit.empty()) || !proc_text::next_word(rest).empty())
      return std::unexpected("bad " + std::string(key) + " line \"" + std::string(line.substr(0, 48)) + "\"");
    return *value;
  }
  return std::unexpected("no " + std::string(key) + " line");
}

}  // namespace numalab::workload
