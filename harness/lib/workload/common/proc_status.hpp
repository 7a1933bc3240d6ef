#pragma once
// Lines of /proc/PID/status or /proc/PID/task/TID/status (proc_pid_status in fs/proc/array.c).
// The context switches of a task are two of its "Key:\tvalue" lines:
//   voluntary_ctxt_switches:	4567
//   nonvoluntary_ctxt_switches:	12
// Their sum is what the kernel's hung-task detector watches (nvcsw + nivcsw): a task in
// uninterruptible sleep whose sum does not change has not run at all.
//
// The text comes from the guest kernel: parsing is total and bounded (at most
// k_max_proc_status_bytes; the other lines are skipped, whatever they hold).

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace numalab::workload {

inline constexpr std::size_t k_max_proc_status_bytes = 16 * 1024;  // 6.1 writes about 1.5 KiB

struct ContextSwitches {
  std::uint64_t voluntary = 0;
  std::uint64_t nonvoluntary = 0;

  // Wraps around like the kernel's unsigned long sum; only compared for equality.
  std::uint64_t total() const { return voluntary + nonvoluntary; }
  bool operator==(const ContextSwitches&) const = default;
};

// Both counters, or why not: a status without either line, or with a value that is not a number.
std::expected<ContextSwitches, std::string> parse_context_switches(std::string_view status);

// The value of one "Key:\tvalue" line, without the blanks around it ("0-3" for Cpus_allowed_list,
// "0 kB" for VmLck); nullopt when the status has no such line or is over k_max_proc_status_bytes.
std::optional<std::string> status_field(std::string_view status, std::string_view key);

}  // namespace numalab::workload
