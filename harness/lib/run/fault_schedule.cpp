#include "run/fault_schedule.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace numalab::run {

using result::Verdict;
using util::TimePoint;

namespace {

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string describe(const lab::Fault& f) {
  return f.kind == lab::FaultKind::pause ? "paused" : "link on network '" + f.network + "' down";
}

}  // namespace

FaultSchedule::FaultSchedule(const std::vector<lab::Fault>& faults, std::vector<MachineRun*> machines,
                             StatusSink& status)
    : machines_(std::move(machines)), status_(status) {
  for (const auto& f : faults) {
    Pending p;
    p.fault = f;
    p.record.kind = lab::to_string(f.kind);
    p.record.machine = f.machine;
    p.record.network = f.network;
    p.record.planned_at_s = seconds(f.at);
    p.record.duration_s = seconds(f.duration);
    p.record.after = f.after;
    p.record.detail = "not applied: the run ended first";
    faults_.push_back(std::move(p));
  }
}

MachineRun* FaultSchedule::find(const std::string& name) const {
  for (auto* m : machines_)
    if (m->name() == name) return m;
  return nullptr;
}

double FaultSchedule::since_start(TimePoint t) const { return seconds(t - *started_); }

std::optional<TimePoint> FaultSchedule::clock_of(const lab::Fault& fault) const {
  if (fault.after.empty()) return started_;
  std::optional<TimePoint> first;
  for (const auto* m : machines_)
    if (auto t = m->progress().first_move_of(fault.after); t && (!first || *t < *first)) first = t;
  return first;
}

std::string FaultSchedule::netdev_of(const lab::Fault& fault) const {
  const auto* m = find(fault.machine);
  if (m != nullptr)
    for (const auto& nic : m->links().nics)
      if (nic.interface.network == fault.network) return nic.netdev;
  return "";
}

void FaultSchedule::on_time(std::optional<TimePoint> workloads_started, TimePoint now) {
  if (!started_) started_ = workloads_started;
  if (!started_) return;
  for (auto& f : faults_) {
    if (f.stage == Pending::Stage::planned)
      if (auto clock = clock_of(f.fault); clock && now >= *clock + f.fault.at) apply(f, now);
    if (f.stage == Pending::Stage::active && now >= f.applied + f.fault.duration) end(f, now);
    if (f.stage == Pending::Stage::over && f.record.ended_at_s && !f.recovery_checked) check_recovery(f, now);
  }
}

void FaultSchedule::apply(Pending& f, TimePoint now) {
  MachineRun* m = find(f.fault.machine);
  f.stage = Pending::Stage::over;
  if (m == nullptr || !m->live()) {
    f.record.detail = "not applied: machine '" + f.fault.machine + "' had already ended";
    return;
  }
  const bool pause = f.fault.kind == lab::FaultKind::pause;
  auto done = pause ? m->pause(now) : m->set_link(netdev_of(f.fault), false);
  if (!done) {
    f.record.detail =
        "not applied: QMP " + std::string(pause ? "stop" : "set_link") + " failed: " + done.error().message;
    m->note("fault " + f.record.kind + " " + f.record.detail, now);
    status_.on(FaultFailed{f.fault.machine, "fault " + f.record.kind + " " + f.record.detail});
    return;
  }
  f.stage = Pending::Stage::active;
  f.applied = now;
  f.record.applied_at_s = since_start(now);
  f.record.detail.clear();
  m->note(fmt::format("fault: {} for {:.1f} s", describe(f.fault), f.record.duration_s), now);
  status_.on(FaultApplied{f.fault.machine, describe(f.fault), f.record.duration_s});
}

void FaultSchedule::end(Pending& f, TimePoint now) {
  MachineRun* m = find(f.fault.machine);
  f.stage = Pending::Stage::over;
  f.ended = now;
  f.record.ended_at_s = since_start(now);
  if (m == nullptr || !m->live()) return;
  const bool pause = f.fault.kind == lab::FaultKind::pause;
  auto done = pause ? m->resume(now) : m->set_link(netdev_of(f.fault), true);
  if (!done) {
    f.record.detail = "could not end the fault: QMP " + std::string(pause ? "cont" : "set_link") +
                      " failed: " + done.error().message;
    m->abort(Verdict::error, f.record.detail, now);
    return;
  }
  const std::string what = pause ? "resumed" : "link up";
  m->note("fault over: " + what, now);
  status_.on(FaultEnded{f.fault.machine, what});
}

void FaultSchedule::check_recovery(Pending& f, TimePoint now) {
  if (!f.record.first_progress_after_s) {
    std::optional<TimePoint> first;
    for (const auto* m : machines_)
      if (auto t = m->progress().first_move_after(f.ended); t && (!first || *t < *first)) first = t;
    if (first) f.record.first_progress_after_s = seconds(*first - f.ended);
  }
  const bool bound_passed = now >= f.ended + f.fault.recover_within;
  const std::string after = fmt::format("{:.1f} s after the {} of machine '{}' ended",
                                        seconds(f.fault.recover_within), f.record.kind, f.fault.machine);
  bool pending = false;
  for (auto* m : machines_) {
    // Service machines end when released; a machine whose work is over has nothing to recover.
    if (!m->live() || m->workloads_over() || !m->links().services.empty()) continue;
    // Recovered once a progress counter moves again (or, for a workload that reports none, once
    // its agent speaks again); from then on its ordinary watch decides.
    const bool counts = m->progress().ever();
    const bool recovered =
        counts ? m->progress().first_move_after(f.ended).has_value() : m->last_sign_of_life() > f.ended;
    if (recovered) continue;
    if (!bound_passed) {
      pending = true;
      continue;
    }
    m->conclude(Verdict::hang,
                counts ? "made no progress within " + after + " (no progress counter moved again)"
                       : "sent no sign of life within " + after,
                now);
  }
  if (!pending) f.recovery_checked = true;
}

TimePoint FaultSchedule::next_deadline() const {
  TimePoint next = TimePoint::max();
  if (!started_) return next;
  for (const auto& f : faults_) {
    if (f.stage == Pending::Stage::planned)
      if (auto clock = clock_of(f.fault)) next = std::min(next, *clock + f.fault.at);
    if (f.stage == Pending::Stage::active) next = std::min(next, f.applied + f.fault.duration);
    if (f.stage == Pending::Stage::over && f.record.ended_at_s && !f.recovery_checked)
      next = std::min(next, f.ended + f.fault.recover_within);
  }
  return next;
}

std::vector<result::FaultRecord> FaultSchedule::records() const {
  std::vector<result::FaultRecord> out;
  for (const auto& f : faults_) {
    out.push_back(f.record);
    if (f.stage == Pending::Stage::planned && !clock_of(f.fault))
      out.back().detail = "not applied: progress counter '" + f.fault.after + "' never moved on any machine";
    if (!f.record.ended_at_s) continue;
    auto& resumed = out.back().resumed;
    for (const auto* m : machines_)
      for (const auto& [counter, t] : m->progress().moved_after(f.ended))
        resumed.push_back({m->name(), counter, seconds(t - f.ended)});
    std::stable_sort(resumed.begin(), resumed.end(),
                     [](const auto& a, const auto& b) { return a.after_s < b.after_s; });
  }
  return out;
}

}  // namespace numalab::run
