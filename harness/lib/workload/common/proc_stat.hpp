#pragma once
// /proc/PID/stat and /proc/PID/task/TID/stat: "PID (COMM) STATE PPID ...", one line. COMM may hold
// blanks and parentheses, so the fields after it are counted from the last ')'. Field numbers are
// proc(5)'s, from 1.
//
// The text comes from the guest kernel: parsing is total and bounded (one line of at most
// k_max_proc_stat_bytes).

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace numalab::workload {

inline constexpr std::size_t k_max_proc_stat_bytes = 4096;

struct ProcStat {
  int pid = 0;              // field 1
  std::string comm;         // field 2, without its parentheses
  char state = '?';         // field 3
  int ppid = 0;             // field 4
  std::uint64_t utime = 0;  // field 14, clock ticks
  std::uint64_t stime = 0;  // field 15, clock ticks
  int processor = -1;       // field 39: the CPU it last ran on; -1 if the line is shorter

  bool operator==(const ProcStat&) const = default;
};

std::expected<ProcStat, std::string> parse_proc_stat(std::string_view line);

}  // namespace numalab::workload
