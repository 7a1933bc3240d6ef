#include "workload/common/proc_stat.hpp"

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

std::expected<ProcStat, std::string> parse_proc_stat(std::string_view line) {
  if (line.size() > k_max_proc_stat_bytes) return std::unexpected("longer than 4096 bytes");
  auto open = line.find(" (");
  auto close = line.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return std::unexpected("no \"(comm)\"");
  ProcStat out;
  auto pid = proc_text::to_signed<int>(line.substr(0, open));
  if (!pid || *pid <= 0) return std::unexpected("bad pid");
  out.pid = *pid;
  out.comm = std::string(line.substr(open + 2, close - open - 2));
  std::string_view rest = line.substr(close + 1);
  // Field 3 onwards.
  std::string_view state = proc_text::next_word(rest);
  if (state.size() != 1) return std::unexpected("bad state");
  out.state = state.front();
  auto ppid = proc_text::to_signed<int>(proc_text::next_word(rest));
  if (!ppid || *ppid < 0) return std::unexpected("bad ppid");
  out.ppid = *ppid;
  for (int field = 5; field <= 39; ++field) {
    std::string_view word = proc_text::next_word(rest);
    if (word.empty()) {
      if (field <= 15) return std::unexpected("only " + std::to_string(field - 1) + " fields");
      break;
    }
    if (field == 14 || field == 15) {
      auto ticks = proc_text::to_unsigned(word);
      if (!ticks) return std::unexpected("bad " + std::string(field == 14 ? "utime" : "stime"));
      (field == 14 ? out.utime : out.stime) = *ticks;
    } else if (field == 39) {
      auto cpu = proc_text::to_signed<int>(word);
      if (!cpu || *cpu < 0) return std::unexpected("bad processor");
      out.processor = *cpu;
    }
  }
  return out;
}

}  // namespace numalab::workload
