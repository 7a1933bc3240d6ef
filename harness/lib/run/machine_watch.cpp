#include "run/machine_watch.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace numalab::run {

using result::Verdict;
using util::TimePoint;

namespace {

long whole_seconds(std::chrono::steady_clock::duration d) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

constexpr auto k_tick = std::chrono::milliseconds(1);  // wake just past a limit, not on it
constexpr std::size_t k_reason_tasks = 3;              // tasks in D described in a verdict's reason
constexpr std::size_t k_reason_frames = 12;            // stack frames of each

// "task A (pid 1) blocked in D for 60 s without a context switch: f <- g; task B ...; and 2 more".
std::string describe_stuck_tasks(const std::vector<TaskInD>& stuck, TimePoint now) {
  std::string out;
  for (std::size_t i = 0; i < stuck.size() && i < k_reason_tasks; ++i)
    out += (i ? "; " : "") + describe_stuck(stuck[i], now, k_reason_frames);
  if (stuck.size() > k_reason_tasks)
    out += fmt::format("; and {} more tasks in D as long", stuck.size() - k_reason_tasks);
  return out;
}

}  // namespace

void MachineWatch::hello(bool waits_for_services, TimePoint now) {
  if (phase_ != Phase::booting) return;
  last_sign_of_life_ = now;
  phase_ = waits_for_services ? Phase::waiting : Phase::running;
}

void MachineWatch::plan_sent(TimePoint now) {
  if (phase_ != Phase::waiting) return;
  phase_ = Phase::running;
  last_sign_of_life_ = now;
}

void MachineWatch::step_started(std::string label, std::optional<std::chrono::milliseconds> stall_timeout) {
  step_ = std::move(label);
  step_stall_timeout_ = stall_timeout;
  progress_.clear();
}

void MachineWatch::step_ended() {
  step_.clear();
  step_stall_timeout_.reset();
  progress_.clear();
}

void MachineWatch::set_paused(bool paused, TimePoint now) {
  paused_ = paused;
  if (paused) return;
  // The pause is nobody's silence: the watch starts again from the moment the machine resumed.
  last_sign_of_life_ = std::max(last_sign_of_life_, now);
  progress_.restart(now);
  tasks_in_d_.restart(now);
}

void MachineWatch::blocked(const agent::Blocked& m, TimePoint now) { tasks_in_d_.reported(m, now); }

void MachineWatch::conclude(Verdict verdict, std::string reason, TimePoint stop_at) {
  if (!conclusion_) conclusion_ = Conclusion{verdict, std::move(reason), stop_at};
}

void MachineWatch::fatal_console_report(const std::string& kind, const std::string& first_line,
                                        TimePoint now) {
  conclude(Verdict::crash, "kernel " + kind + ": " + first_line, now + limits_.settle);
}

// The kernel's own detectors of a task that cannot go on. A hung-task report is the hang verdict
// even while the agent keeps answering (the blocked task may be a workload's child); lockups and
// RCU stalls are kept as evidence only, because a host starving a TCG guest causes them too.
void MachineWatch::kernel_report(const monitor::KernelReport& report,
                                 const std::vector<monitor::KernelReport>& earlier, TimePoint now) {
  if (report.kind != "hung-task") return;
  std::string why = "kernel hung task: " + report.title;
  for (const auto& e : earlier)
    if (e.kind.starts_with("lockdep")) {
      why += "; lockdep reported before it: " + e.title;
      break;
    }
  conclude(Verdict::hang, why, now + limits_.settle);
}

void MachineWatch::guest_panicked(TimePoint now) {
  conclude(Verdict::crash, "the guest kernel panicked (pvpanic)", now + limits_.settle);
}

void MachineWatch::vm_exited(const std::string& how, const std::string& log_tail, TimePoint now) {
  if (phase_ == Phase::powering_off) return;
  std::string why = "QEMU exited (" + how + ") before the agent finished";
  if (phase_ == Phase::booting) why += "; the guest never said hello (see console.log)";
  conclude(Verdict::error, why + "\n" + log_tail, now);
}

std::chrono::milliseconds MachineWatch::silence_limit() const {
  // A workload that reports progress is sampled twice before a silence is a hang: once at the
  // heartbeat timeout, and again one timeout later, with every counter still frozen. When its lab
  // file sets a stall_timeout, a silent agent gets as long: the author said how long the guest may
  // legitimately stand still (e.g. past TCP's retransmission backoff), and a guest whose every
  // thread waits in reclaim is standing still.
  if (!progress_.any()) return limits_.hang_timeout;
  const auto twice = std::chrono::milliseconds(2 * limits_.hang_timeout);
  return step_stall_timeout_ ? std::max(twice, *step_stall_timeout_) : twice;
}

std::chrono::milliseconds MachineWatch::stall_window() const {
  return step_stall_timeout_.value_or(limits_.stall_timeout);
}

void MachineWatch::check(TimePoint now, std::uint64_t console_lines) {
  if (conclusion_) return;
  const bool watching = phase_ == Phase::running && !paused_;
  if (!paused_) tasks_in_d_.forget_stale(now);  // a paused guest reports nothing, and is not to blame
  std::vector<TaskInD> stuck;
  if (watching) stuck = tasks_in_d_.stuck_for(stall_window(), now);
  if (phase_ == Phase::booting && now - started_ > limits_.boot_timeout) {
    const long limit = limits_.boot_timeout.count();
    if (console_lines > 0)
      conclude(Verdict::hang,
               fmt::format("no agent hello {} s after QEMU started; the kernel printed {} console lines, "
                           "then stopped",
                           limit, console_lines),
               now);
    else
      conclude(
          Verdict::error,
          fmt::format("the guest printed nothing in {} s (does the kernel have a serial console on ttyS0?)",
                      limit),
          now);
  } else if (watching && now - last_sign_of_life_ > silence_limit()) {
    const std::string doing = step_.empty() ? "" : " during workload " + step_;
    conclude(Verdict::hang,
             fmt::format("no heartbeat from the guest agent for {} s{}{}",
                         whole_seconds(now - last_sign_of_life_), doing, progress_.describe_frozen(now)),
             now);
  } else if (watching && progress_.any() && now - progress_.latest_change() > stall_window()) {
    conclude(
        Verdict::hang,
        fmt::format("no progress for {} s in workload {} while the agent kept answering{}",
                    whole_seconds(now - progress_.latest_change()), step_, progress_.describe_frozen(now)),
        now);
  } else if (!stuck.empty()) {
    conclude(Verdict::hang, describe_stuck_tasks(stuck, now), now);
  } else if (now - started_ > limits_.run_timeout) {
    conclude(
        Verdict::hang,
        fmt::format("the machine did not finish within the run limit of {} s", limits_.run_timeout.count()),
        now);
  }
}

TimePoint MachineWatch::next_deadline() const {
  if (conclusion_) return TimePoint::max();
  TimePoint next = started_ + limits_.run_timeout;
  if (phase_ == Phase::booting) next = std::min(next, started_ + limits_.boot_timeout);
  if (phase_ == Phase::running && !paused_) {
    next = std::min(next, last_sign_of_life_ + silence_limit());
    if (progress_.any()) next = std::min(next, progress_.latest_change() + stall_window());
    if (tasks_in_d_.any()) next = std::min(next, tasks_in_d_.oldest_since() + stall_window());
  }
  return next + k_tick;
}

}  // namespace numalab::run
