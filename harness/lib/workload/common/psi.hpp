#pragma once
// Pressure stall information, /proc/pressure/{memory,io,cpu}:
//   some avg10=0.00 avg60=0.00 avg300=0.00 total=0
//   full avg10=0.00 avg60=0.00 avg300=0.00 total=0
// avg* are percentages of wall time in which some (or all non-idle) tasks stalled, over 10, 60 and
// 300 s; total is the cumulative stall time in microseconds. The "full" line exists for memory and
// io since Linux 4.20, and for cpu only since 5.13 (where it is always 0 at system level).
//
// The text comes from the guest kernel: parsing is total and bounded (a few short lines are read;
// anything else is ignored).

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace numalab::workload {

struct PressureLine {
  double avg10 = 0, avg60 = 0, avg300 = 0;  // %
  std::uint64_t total_us = 0;

  bool operator==(const PressureLine&) const = default;
};

struct Pressure {
  PressureLine some;
  std::optional<PressureLine> full;  // absent in kernels or resources without one

  bool operator==(const Pressure&) const = default;
};

// An error when there is no well-formed "some" line; a malformed "full" line is an error too.
std::expected<Pressure, std::string> parse_pressure(std::string_view text);

}  // namespace numalab::workload
