#pragma once
// The verdict rules for one machine, as a pure object: the run tells it what the guest did and what
// time it is, and it says when the machine is hung, crashed or broken, and why. It reads no clock
// and touches no file, so every rule is a unit test (machine_watch_test.cpp).
//
// The rules: no hello within the boot timeout (hang if the kernel printed, error if it printed
// nothing); the agent silent longer than the silence limit once its plan went out; every progress
// counter of the open step frozen for the stall window while the agent answers; a task the agent
// reports in uninterruptible sleep with the same context switches for the stall window; the whole run over
// its limit; a fatal kernel report on the console (crash), a hung-task report (hang), pvpanic
// (crash); the VM gone before the agent said done (error). A fault that pauses the machine
// suspends the watch on silence, progress and tasks in D. The first verdict stands.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agent/protocol.hpp"
#include "model/stall_window.hpp"
#include "monitor/kernel_report.hpp"
#include "result/verdict.hpp"
#include "run/progress_counters.hpp"
#include "run/tasks_in_d.hpp"
#include "util/deadline.hpp"

namespace numalab::run {

struct WatchLimits {
  std::chrono::seconds boot_timeout{180};  // QEMU start -> agent hello
  std::chrono::seconds hang_timeout{10};   // silence from the agent after its plan went out
  std::chrono::seconds run_timeout{1800};  // the whole machine
  std::chrono::seconds settle{2};          // the console is read this long after a crash report
  // progress counters frozen while the agent answers
  std::chrono::seconds stall_timeout{model::k_default_stall_window};
  // a task in D that the agent stops reporting has left D (the agent reports them every heartbeat)
  std::chrono::seconds blocked_forget{5};
};

struct Conclusion {
  result::Verdict verdict = result::Verdict::error;
  std::string reason;
  util::TimePoint stop_at{};  // when the machine is stopped: now, or after `settle` for a report's end
};

class MachineWatch {
 public:
  enum class Phase { booting, waiting, running, powering_off };

  MachineWatch(WatchLimits limits, util::TimePoint started) : limits_(limits), started_(started) {}

  // The guest's life.
  void hello(bool waits_for_services, util::TimePoint now);
  void plan_sent(util::TimePoint now);  // its workloads start: the watch on silence begins
  void powering_off() { phase_ = Phase::powering_off; }
  void sign_of_life(util::TimePoint now) { last_sign_of_life_ = now; }
  // `stall_timeout`: the workload's own, when its lab table sets one.
  void step_started(std::string label, std::optional<std::chrono::milliseconds> stall_timeout);
  void step_ended();
  void set_paused(bool paused, util::TimePoint now);
  // The agent's tasks in uninterruptible sleep at one scan (a blocked message).
  void blocked(const agent::Blocked& m, util::TimePoint now);
  const TasksInD& tasks_in_d() const { return tasks_in_d_; }
  ProgressCounters& progress() { return progress_; }
  const ProgressCounters& progress() const { return progress_; }

  // Verdicts that an event decides.
  void fatal_console_report(const std::string& kind, const std::string& first_line, util::TimePoint now);
  void kernel_report(const monitor::KernelReport& report, const std::vector<monitor::KernelReport>& earlier,
                     util::TimePoint now);
  void guest_panicked(util::TimePoint now);
  void vm_exited(const std::string& how, const std::string& log_tail, util::TimePoint now);
  // Any other verdict (a start failure, an interrupt, a fault that could not end): the first stands.
  void conclude(result::Verdict verdict, std::string reason, util::TimePoint stop_at);

  // Verdicts that time decides. `console_lines`: how many lines the kernel printed so far.
  void check(util::TimePoint now, std::uint64_t console_lines);
  // When check() may next have something to say (TimePoint::max() when nothing is pending).
  util::TimePoint next_deadline() const;

  Phase phase() const { return phase_; }
  util::TimePoint started() const { return started_; }
  util::TimePoint last_sign_of_life() const { return last_sign_of_life_; }
  const std::optional<Conclusion>& conclusion() const { return conclusion_; }

 private:
  std::chrono::milliseconds silence_limit() const;
  std::chrono::milliseconds stall_window() const;

  WatchLimits limits_;
  util::TimePoint started_;
  util::TimePoint last_sign_of_life_{};
  Phase phase_ = Phase::booting;
  bool paused_ = false;
  std::string step_;  // the open step's label, "" between steps
  std::optional<std::chrono::milliseconds> step_stall_timeout_;
  ProgressCounters progress_;
  TasksInD tasks_in_d_{limits_.blocked_forget};
  std::optional<Conclusion> conclusion_;
};

}  // namespace numalab::run
