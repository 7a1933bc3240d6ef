#pragma once
// The steps of the staged capture (staged_capture.hpp), one function each. Each returns what it
// left or why it failed or was skipped; none throws, each keeps to its own deadline.

#include <filesystem>
#include <string>

#include "capture/capture_record.hpp"
#include "capture/staged_capture.hpp"

namespace numalab::capture {

struct StepResult {
  StepStatus status = StepStatus::ok;
  std::string detail;
  static StepResult ok(std::string d) { return {StepStatus::ok, std::move(d)}; }
  static StepResult failed(std::string d) { return {StepStatus::failed, std::move(d)}; }
  static StepResult skipped(std::string d) { return {StepStatus::skipped, std::move(d)}; }
};

struct StepContext {
  launch::QmpClient& qmp;
  const CaptureTarget& target;
  const CaptureOptions& options;
  const CaptureIo& io;
  double since_start() const;  // seconds since QEMU started, for markers
};

// Reads the console until it has been quiet long enough (or the settle's maximum); returns the
// bytes console.log grew by.
std::uintmax_t settle_console(const CaptureIo& io, const ConsoleSettle& settle);
// Reads the console until `until`.
void pump_until(const CaptureIo& io, util::TimePoint until);

StepResult send_sysrq(StepContext& c, char key, const ConsoleSettle& settle);  // guest_signals.cpp
StepResult inject_nmi(StepContext& c);                                         // guest_signals.cpp
StepResult save_registers(StepContext& c, const std::filesystem::path& file);  // vcpu_registers.cpp
StepResult dump_memory(StepContext& c);                                        // memory_dump.cpp
StepResult place_vmlinux(StepContext& c);                                      // memory_dump.cpp
StepResult analyse_dump(StepContext& c);                                       // dump_analysis.cpp

}  // namespace numalab::capture
