#pragma once
// The evidence of a hung or crashed guest, taken in steps before QEMU is stopped: sysrq w, l and t
// (through QMP send-key; their output lands in console.log after a marker line), an NMI, the vCPUs'
// registers twice a few seconds apart, a memory dump with the kernel's vmlinux beside it, and the
// dump's analysis. Each step has its own deadline; a step that fails is recorded and the next runs.
// A guest paused after a panic (pvpanic, panic=pause) cannot read keys: sysrq and the NMI are
// skipped, the registers and the dump still work. Everything is recorded in capture.json.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "capture/capture_options.hpp"
#include "capture/capture_record.hpp"
#include "launch/qmp_client.hpp"
#include "util/deadline.hpp"

namespace numalab::capture {

// The console, as the capture sees it.
struct CaptureIo {
  std::function<void()> pump;                            // reads what the guest printed into console.log
  std::function<void(std::string_view)> mark;            // a marker line in console.log
  std::function<void(util::Deadline)> wait_for_console;  // until the console has bytes, or the deadline
  std::filesystem::path console_log;                     // grows as pump() reads (for "until quiet")
  // numalab is being stopped (Ctrl-C): the steps not run yet are skipped, a running one ends early.
  std::function<bool()> cancelled = [] { return false; };
};

struct CaptureTarget {
  std::filesystem::path dir;   // RUN/MACHINE: capture.json, registers-*.txt, vmcore, vmlinux, ...
  std::string verdict;         // "hang" or "crash"
  util::TimePoint vm_started;  // markers and records say "+12.3 s" from here
};

// The file names the capture leaves in target.dir.
inline constexpr std::string_view k_capture_json = "capture.json";
inline constexpr std::string_view k_vmcore = "vmcore";
inline constexpr std::string_view k_vmlinux = "vmlinux";
inline constexpr std::string_view k_hang_report = "hang-report.txt";

// Blocks until the console socket `fd` has bytes or the deadline passes: CaptureIo's
// wait_for_console for a real VM. A closed console (the VM gone) waits out the deadline instead of
// spinning.
void wait_for_console_bytes(int fd, util::Deadline deadline);

CaptureRecord run_staged_capture(launch::QmpClient& qmp, const CaptureTarget& target,
                                 const CaptureOptions& options, const CaptureIo& io);

}  // namespace numalab::capture
