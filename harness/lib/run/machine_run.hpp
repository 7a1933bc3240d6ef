#pragma once
// One machine of a running lab, from its VM's start to its verdict: the one owner of its VM. The
// run loop (run_pool.hpp) polls the streams it names and hands it the time; the service gate
// (service_gate.hpp) asks it to start its workloads and to release its services, the fault
// schedule (fault_schedule.hpp) to pause, resume or take a link down. Its parts each have one job: the logs
// (machine_logs), the agent link (agent_link), the console parser (monitor/), the workloads' results
// (step_book), the verdict rules (machine_watch), and the ending (machine_ending: evidence, then stopping the
// VM, on a thread of its own while the other machines are served). It reads no clock: every call brings the
// time.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/evidence_capture.hpp"
#include "lab/lab.hpp"
#include "launch/vm.hpp"
#include "monitor/kernel_report.hpp"
#include "result/run_result.hpp"
#include "run/agent_link.hpp"
#include "run/lab_links.hpp"
#include "run/machine_ending.hpp"
#include "run/machine_logs.hpp"
#include "run/machine_watch.hpp"
#include "run/status.hpp"
#include "run/step_book.hpp"

namespace numalab::run {

// What a machine runs, with whom.
struct MachinePlan {
  lab::Machine machine;
  std::vector<lab::Workload> workloads;  // the lab's workloads on this machine, in lab order
  MachineLinks links;
};

// The agent said done: the guest powers itself off; its VM is stopped after this at the latest.
inline constexpr auto k_poweroff_grace = std::chrono::seconds(15);

class MachineRun {
 public:
  MachineRun(MachinePlan plan, WatchLimits limits, std::filesystem::path dir, result::MachineResult identity,
             StatusSink& status);
  ~MachineRun();

  // The VM started at vm->started_at(); `evidence` is taken if it hangs or crashes (nullptr: none).
  void attach(std::unique_ptr<launch::Vm> vm, std::unique_ptr<capture::EvidenceTaker> evidence);
  // The VM was restored from `entry` and runs (Launcher::restore): its guest says no hello, so the
  // entry's is taken as said now, and the plan goes out with the host's wall clock for the guest.
  void attach_restored(std::unique_ptr<launch::Vm> vm, std::unique_ptr<capture::EvidenceTaker> evidence,
                       const launch::StartupEntry& entry, util::TimePoint now);
  // Asked to restore, this machine boots fresh: why (kept with its result).
  void booting_fresh_because(std::string why, util::TimePoint now);
  // Ends the machine's run now with this verdict (a VM that did not start, an interrupt); no
  // evidence is taken. A machine already ending is asked to end sooner.
  void abort(result::Verdict verdict, std::string reason, util::TimePoint now);
  // A verdict from outside the machine (a service it waited for never came, a fault it did not
  // recover from): as if its own watch had reached it, evidence included for a hang.
  void conclude(result::Verdict verdict, std::string reason, util::TimePoint now);

  // The run loop: the file descriptors to poll (-1: none), what to do when one is readable, the
  // passing of time, and when it next needs a turn.
  struct Streams {
    int console = -1, agent = -1, qmp = -1, ending = -1;
  };
  Streams streams() const;
  void on_console(util::TimePoint now);
  void on_agent(util::TimePoint now);
  void on_qmp(util::TimePoint now);
  void on_time(util::TimePoint now);
  util::TimePoint next_deadline() const;
  bool finished() const { return state_ == State::finished; }

  // The coordinator.
  const std::string& name() const { return plan_.machine.name; }
  const MachineLinks& links() const { return plan_.links; }
  bool waiting() const { return state_ == State::waiting; }
  util::TimePoint waiting_since() const { return waiting_since_; }
  bool plan_sent() const;
  void start_workloads(util::TimePoint now);
  bool services_ready() const;
  void release(util::TimePoint now);
  // The agent said done, or the machine's run is over.
  bool workloads_over() const;
  // Its VM runs and takes faults: no verdict yet, not ending.
  bool live() const;
  util::Result<void> pause(util::TimePoint now);
  util::Result<void> resume(util::TimePoint now);
  util::Result<void> set_link(const std::string& netdev, bool up);
  void note(std::string_view text, util::TimePoint now);
  const ProgressCounters& progress() const { return watch_.progress(); }
  util::TimePoint last_sign_of_life() const { return watch_.last_sign_of_life(); }

  // The result.
  result::Verdict verdict() const;
  std::string reason() const;
  const result::MachineResult& machine_result() const { return identity_; }
  const std::vector<result::WorkloadResult>& workload_results() const { return steps_.results(); }

 private:
  enum class State { booting, waiting, running, powering_off, concluded, ending, finished };

  void handle(const agent::GuestMessage& m, util::TimePoint now);
  void take_vm(std::unique_ptr<launch::Vm> vm, std::unique_ptr<capture::EvidenceTaker> evidence);
  void hello(const agent::Hello& h, util::TimePoint now);
  void send_plan(util::TimePoint now);
  void step_message(const agent::GuestMessage& m, util::TimePoint now);
  void send_line(const std::string& line, util::TimePoint now);
  void read_console(std::string_view bytes, util::TimePoint now);
  void take_kernel_reports(util::TimePoint now, bool decide);
  void after_event(util::TimePoint now);  // a verdict the watch reached ends the steps
  void begin_ending(bool with_evidence, util::TimePoint now);
  void finish_ending(util::TimePoint now);
  void end(const std::atomic<bool>& cancelled, bool with_evidence);
  void drain_console_after_stop();
  double since_start(util::TimePoint t) const;

  MachinePlan plan_;
  std::filesystem::path dir_;
  result::MachineResult identity_;
  StatusSink& status_;
  std::unique_ptr<launch::Vm> vm_;
  std::unique_ptr<capture::EvidenceTaker> evidence_;

  State state_ = State::booting;
  util::TimePoint started_{};
  util::TimePoint waiting_since_{};
  util::TimePoint poweroff_deadline_ = util::TimePoint::max();
  bool console_open_ = true;
  bool agent_open_ = true;

  ConsoleLog console_log_;
  Transcript transcript_;
  monitor::KernelReportParser kernel_reports_;
  AgentLink link_;
  StepBook steps_;
  WatchLimits limits_;
  MachineWatch watch_;
  std::vector<std::string> ready_;  // services that said ready
  bool released_ = false;
  std::unique_ptr<MachineEnding> ending_;
  util::TimePoint ending_started_{};
  bool ending_with_evidence_ = false;
};

}  // namespace numalab::run
