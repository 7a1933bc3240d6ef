#pragma once
// What a run, a compare or a repro tells the person (or CI log) watching it, as typed events
// delivered to one StatusSink. The command line implements the sink (a redrawn progress line on a
// terminal, plain lines in CI and pipes); the library prints nothing and nobody parses these.

#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kernel/build_events.hpp"
#include "result/verdict.hpp"

namespace numalab::run {

// A run of a lab.
struct RunStarted {
  std::string run_id;
  std::filesystem::path dir;
};
struct ImageReady {  // a machine's kernel and guest image are ready to boot
  std::string machine;
  std::string kernel;
  std::string release;  // "" when unknown before boot
  std::string image_key;
  bool cached = false;
};
struct AcceleratorChosen {
  std::string accel;  // "kvm", "tcg"
  std::string reason;
  bool sandbox = true;  // false: this QEMU has no -sandbox and runs without one
};
struct RunFinished {
  std::string run_id;
  result::Verdict verdict = result::Verdict::pass;
  double duration_s = 0;
};
struct RunInterrupted {
  int signal = 0;
};

// One machine of a run.
struct MachineStarted {
  std::string machine;
  std::string vm;  // "pid 4242"
};
struct MachineBooting {
  std::string machine;
};
struct MachineHello {
  std::string machine;
  double boot_s = 0;
  std::string release;
  bool restored = false;  // from the startup cache: the entry's hello, boot_s the restore's time
};
struct MachineWaiting {  // for other machines' services before its workloads start
  std::string machine;
  std::vector<std::string> waits_for;
};
struct ServicesReady {
  std::string machine;
};
struct StepStarted {
  std::string machine;
  std::string workload;
};
struct StepEnded {
  std::string machine;
  std::string workload;
  result::Verdict verdict = result::Verdict::pass;
  double elapsed_s = 0;
};
struct MachinePoweringOff {
  std::string machine;
};
struct MachineConcluded {  // a verdict other than the guest's own end: hang, crash, error
  std::string machine;
  result::Verdict verdict = result::Verdict::error;
  std::string reason;
};
struct EvidenceStarted {
  std::string machine;
};
struct EvidenceTaken {
  std::string machine;
  double seconds = 0;
};
struct FaultApplied {
  std::string machine;
  std::string what;  // "paused", "link on network 'storage' down"
  double duration_s = 0;
};
struct FaultEnded {
  std::string machine;
  std::string what;  // "resumed", "link up"
};
struct FaultFailed {
  std::string machine;
  std::string detail;
};

// A compare: each planned run as it starts and ends.
struct CompareRun {
  int done = 0;   // runs finished, this session and earlier ones
  int total = 0;  // runs planned
  int seq = 0;
  std::string kernel;
  int repetition = 0;
  double elapsed_s = 0;               // since this session started
  std::optional<double> remaining_s;  // from this session's runs finished per second so far
  int running = 1;                    // runs under way now, this one included when it starts
};
struct CompareRunStarting {
  CompareRun run;
};
struct CompareRunEnded {
  CompareRun run;
  std::string run_id;
  result::Verdict verdict = result::Verdict::pass;
  double duration_s = 0;
};

// A repro: each run of the bundle.
struct ReproRunEnded {
  int number = 0;   // 1-based
  int planned = 0;  // runs at most
  std::string run_id;
  result::Verdict verdict = result::Verdict::pass;
  bool reproduced = false;
  std::optional<double> time_to_failure_s;
  std::string reason;
};
struct ReproRunInterrupted {
  int number = 0;
  int planned = 0;
  std::string run_id;
  int signal = 0;
};

// Anything else worth a line (a QEMU without -sandbox, a bundle's kernel note...).
struct Note {
  std::string text;
};

using StatusEvent =
    std::variant<kernel::KernelNote, kernel::KernelBuildStarted, kernel::KernelBuildProgress,
                 kernel::KernelReady, RunStarted, ImageReady, AcceleratorChosen, RunFinished, RunInterrupted,
                 MachineStarted, MachineBooting, MachineHello, MachineWaiting, ServicesReady, StepStarted,
                 StepEnded, MachinePoweringOff, MachineConcluded, EvidenceStarted, EvidenceTaken,
                 FaultApplied, FaultEnded, FaultFailed, CompareRunStarting, CompareRunEnded, ReproRunEnded,
                 ReproRunInterrupted, Note>;

class StatusSink {
 public:
  virtual ~StatusSink() = default;
  virtual void on(const StatusEvent& event) = 0;
  // The kernel builder's events, forwarded.
  kernel::BuildEvents build_events() {
    return [this](const kernel::BuildEvent& e) { std::visit([this](const auto& v) { on(v); }, e); };
  }
};

class NoStatus final : public StatusSink {
 public:
  void on(const StatusEvent&) override {}
};

}  // namespace numalab::run
