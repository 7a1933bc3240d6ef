#pragma once
// One machine of a running lab, from QEMU start to verdict. Fed by the runner's poll loop with
// console bytes, agent bytes, QMP events, the QEMU process's exit and the passing of time; never
// blocks. Everything that arrives from the guest is bounded and rate-limited before it is used.

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/protocol.hpp"
#include "lab/lab.hpp"
#include "launch/vm.hpp"
#include "monitor/console_classifier.hpp"
#include "monitor/kernel_report.hpp"
#include "result/run_result.hpp"
#include "run/frozen_counters.hpp"
#include "run/lab_links.hpp"

namespace numalab::run {

struct SessionLimits {
  std::chrono::seconds boot_timeout{180};   // QEMU start -> agent hello
  std::chrono::seconds hang_timeout{10};    // silence from the agent after hello
  std::chrono::seconds run_timeout{1800};   // whole machine
  std::chrono::seconds settle{2};           // console kept open after a crash report
  std::chrono::seconds ready_timeout{180};  // a service machine's hello -> its services ready
  std::chrono::seconds stall_timeout{60};   // progress.* counters frozen while heartbeats arrive
  std::uint64_t max_log_bytes = 64ull << 20;
};

// Progress changes remembered per machine for the faults' recovery times (a second each for a day).
inline constexpr std::size_t k_max_progress_changes = 100000;

class MachineSession {
 public:
  MachineSession(const lab::Machine& machine, std::vector<lab::Workload> workloads, SessionLimits limits,
                 std::filesystem::path dir, result::MachineResult identity);

  void attach(std::unique_ptr<launch::Vm> vm);
  // Called once, before QEMU is stopped, when the machine's verdict is hang or crash: takes the
  // evidence (sysrq, registers, memory dump) while the guest still exists. It may block for the
  // steps' deadlines; `pump` reads what the guest prints meanwhile into the console log.
  // `mark` writes a line into console.log (e.g. "[numalab: sysrq-w sent]") between what the guest
  // printed.
  struct CaptureIo {
    std::function<void()> pump;
    std::function<void(std::string_view)> mark;
  };
  using EvidenceCapture = std::function<void(launch::Vm& vm, const std::filesystem::path& dir,
                                             result::Verdict verdict, const CaptureIo& io)>;
  void set_evidence_capture(EvidenceCapture capture) { capture_ = std::move(capture); }

  // The machine's NICs and peers (sent in the plan), its services, and whether its plan waits for
  // other machines' services: then hello leads to `waiting` until start_workloads().
  void set_links(const MachineLinks& links);
  bool waiting() const { return state_ == State::waiting; }
  bool plan_sent() const { return state_ != State::booting && state_ != State::waiting; }
  util::TimePoint waiting_since() const { return waiting_since_; }
  void start_workloads();
  // Every service the machine's workloads provide said ready.
  bool services_ready() const;
  const std::vector<std::string>& services() const { return links_.services; }
  // Tells the service workloads to stop serving (once).
  void release();
  // The agent said done, or the machine ended.
  bool workloads_over() const {
    return state_ != State::booting && state_ != State::waiting && state_ != State::running;
  }
  // While a fault pauses the machine, its heartbeat and progress are not watched.
  void set_paused(bool paused, util::TimePoint now);
  // A line in the transcript (fault injection, readiness), kept with the run.
  void note(std::string_view text) { transcript("note", text); }
  // The host-side time of the first progress.* change after `since`, or nullopt.
  std::optional<util::TimePoint> first_progress_after(util::TimePoint since) const;
  // Each progress.* counter (name without "progress.") that changed after `since`, with the time
  // of its first change.
  std::map<std::string, util::TimePoint> counters_moved_after(util::TimePoint since) const;
  // When the progress counter `counter` (without "progress.") first moved, or nullopt.
  std::optional<util::TimePoint> first_move_of(const std::string& counter) const;
  launch::Vm* vm() { return vm_.get(); }
  const std::string& name() const { return machine_.name; }

  void on_console(std::string_view bytes);
  void on_agent(std::string_view bytes);
  void on_qmp_events(const std::vector<launch::QmpEvent>& events);
  void on_qemu_exit(const util::ExitStatus& status);
  void on_time(util::TimePoint now);
  // Ends the session now with this verdict (a start failure, an interrupt).
  void abort(result::Verdict verdict, std::string reason);

  bool finished() const { return state_ == State::finished; }
  util::TimePoint next_deadline() const;
  // Stops QEMU (after the guest powered off, or in steps) and marks the session finished.
  void shut_down();

  result::Verdict verdict() const { return verdict_; }
  const std::string& reason() const { return reason_; }
  result::MachineResult machine_result() const { return identity_; }
  std::vector<result::WorkloadResult> workload_results() const;
  // Progress for the terminal, e.g. "booting", "topology-check".
  std::string activity() const;

 private:
  enum class State { booting, waiting, running, powering_off, stopping, finished };
  using Progress = CounterState;
  void handle(const agent::GuestMessage& m, util::TimePoint now);
  static void add_sample(result::WorkloadResult& r, const agent::Sample& s);
  void send_plan();
  void conclude(result::Verdict v, std::string reason, util::TimePoint stop_at);
  void transcript(std::string_view dir, std::string_view line);
  double since_start(util::TimePoint t) const;
  void drain_console();  // reads what the console socket holds now (non-blocking)
  void track_progress(const agent::Sample& s, util::TimePoint now);
  void take_kernel_reports(util::TimePoint now);
  std::string frozen_counters(util::TimePoint now) const;
  std::chrono::milliseconds stall_window() const;
  // The open workload's stall_timeout when its lab file sets one.
  std::optional<std::chrono::milliseconds> lab_stall_timeout() const;
  std::chrono::milliseconds silence_limit() const;
  util::TimePoint latest_progress() const;

  lab::Machine machine_;
  std::vector<lab::Workload> workloads_;
  SessionLimits limits_;
  std::filesystem::path dir_;
  result::MachineResult identity_;
  std::unique_ptr<launch::Vm> vm_;
  EvidenceCapture capture_;

  State state_ = State::booting;
  util::TimePoint started_{};
  util::TimePoint last_sign_of_life_{};
  util::TimePoint stop_at_ = util::TimePoint::max();
  result::Verdict verdict_ = result::Verdict::pass;
  std::string reason_;

  std::ofstream console_log_;
  std::ofstream transcript_;
  std::uint64_t console_bytes_ = 0, transcript_bytes_ = 0;
  monitor::ConsoleClassifier classifier_;
  monitor::KernelReportParser kernel_reports_;
  agent::LineAssembler agent_lines_;
  agent::RateLimiter agent_rate_{500, 2000};
  std::uint64_t malformed_ = 0;

  std::vector<result::WorkloadResult> results_;  // one per planned workload, in plan order
  std::size_t started_steps_ = 0;
  bool step_open_ = false;

  MachineLinks links_;
  util::TimePoint waiting_since_{};
  std::vector<std::string> ready_;  // services that said ready
  bool released_ = false;
  bool paused_ = false;
  std::map<std::string, Progress> progress_;  // the open step's progress.* counters
  util::TimePoint last_progress_sample_{};    // when the newest progress.* sample came
  // Host times of each counter's changes, in order; k_max_progress_changes in all.
  std::map<std::string, std::vector<util::TimePoint>> progress_changes_;
  std::size_t progress_change_count_ = 0;
};

}  // namespace numalab::run
