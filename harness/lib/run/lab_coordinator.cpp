#include "run/lab_coordinator.hpp"

#include <algorithm>
#include <cstdio>

namespace numalab::run {

using result::Verdict;
using util::TimePoint;

namespace {

std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", s);
  return text;
}

}  // namespace

LabCoordinator::LabCoordinator(const lab::Lab& lab, std::vector<std::unique_ptr<MachineSession>>& sessions,
                               std::chrono::seconds ready_timeout,
                               std::function<void(const std::string&)> say)
    : sessions_(sessions), links_(lab_links(lab)), ready_timeout_(ready_timeout), say_(std::move(say)) {
  for (auto& s : sessions_) s->set_links(links_[s->name()]);
  for (const auto& f : lab.faults) {
    PendingFault p;
    p.fault = f;
    p.record.kind = lab::to_string(f.kind);
    p.record.machine = f.machine;
    p.record.network = f.network;
    p.record.planned_at_s = std::chrono::duration<double>(f.at).count();
    p.record.duration_s = std::chrono::duration<double>(f.duration).count();
    p.record.after = f.after;
    p.record.detail = "not applied: the run ended first";
    faults_.push_back(std::move(p));
  }
}

MachineSession* LabCoordinator::session(const std::string& name) {
  for (auto& s : sessions_)
    if (s->name() == name) return s.get();
  return nullptr;
}

double LabCoordinator::since_start(TimePoint t) const {
  return std::chrono::duration<double>(t - started_at_).count();
}

void LabCoordinator::on_time(TimePoint now) {
  start_waiting_machines(now);
  release_services();
  if (!started_) {
    const bool all = std::all_of(sessions_.begin(), sessions_.end(),
                                 [](const auto& s) { return s->finished() || s->plan_sent(); });
    if (all) {
      started_ = true;
      started_at_ = now;
    }
  }
  if (started_) {
    run_faults(now);
    check_recovery(now);
  }
}

void LabCoordinator::start_waiting_machines(TimePoint now) {
  for (auto& w : sessions_) {
    if (!w->waiting()) continue;
    const auto& waits_for = links_[w->name()].waits_for;
    bool all_ready = true;
    for (const auto& name : waits_for) {
      MachineSession* d = session(name);
      if (d == nullptr) continue;
      if (d->services_ready()) continue;
      all_ready = false;
      if (d->finished() || d->workloads_over()) {
        w->abort(Verdict::error, "machine '" + name + "' ended before its service was ready (" +
                                     std::string(result::to_string(d->verdict())) + ": " + d->reason() + ")");
        break;
      }
      if (now - w->waiting_since() > ready_timeout_) {
        std::string services;
        for (const auto& s : d->services()) services += (services.empty() ? "" : ", ") + s;
        const std::string why = "its service (" + services + ") was not ready " +
                                std::to_string(ready_timeout_.count()) + " s after machine '" + w->name() +
                                "' asked for it";
        d->abort(Verdict::error, why + "; see its console.log");
        w->abort(Verdict::error, "machine '" + name + "' never became ready: " + why);
        break;
      }
    }
    if (all_ready && !w->finished()) {
      w->note("every service it waits for is ready: starting its workloads");
      say_(w->name() + ": services ready, starting its workloads");
      w->start_workloads();
    }
  }
}

void LabCoordinator::release_services() {
  for (auto& s : sessions_) {
    if (s->services().empty() || !s->services_ready() || s->finished()) continue;
    bool users_done = true;
    for (auto& other : sessions_) {
      const auto& waits_for = links_[other->name()].waits_for;
      if (std::find(waits_for.begin(), waits_for.end(), s->name()) == waits_for.end()) continue;
      if (!other->finished() && !other->workloads_over()) users_done = false;
    }
    if (users_done) s->release();
  }
}

std::optional<TimePoint> LabCoordinator::clock_of(const lab::Fault& fault) const {
  if (fault.after.empty()) return started_at_;
  std::optional<TimePoint> first;
  for (const auto& s : sessions_)
    if (auto t = s->first_move_of(fault.after); t && (!first || *t < *first)) first = t;
  return first;
}

void LabCoordinator::run_faults(TimePoint now) {
  for (auto& f : faults_) {
    if (f.stage == PendingFault::Stage::planned) {
      if (auto clock = clock_of(f.fault); clock && now >= *clock + f.fault.at) apply(f, now);
    }
    if (f.stage == PendingFault::Stage::active && now >= f.applied + f.fault.duration) end(f, now);
  }
}

util::Result<nlohmann::json> LabCoordinator::send_fault(MachineSession& s, const lab::Fault& fault,
                                                        bool begin) {
  const auto deadline = util::Deadline::after(std::chrono::seconds(3));
  if (fault.kind == lab::FaultKind::pause)
    return s.vm()->qmp().execute(begin ? "stop" : "cont", nlohmann::json::object(), deadline);
  std::string netdev;
  for (const auto& nic : links_[fault.machine].nics)
    if (nic.interface.network == fault.network) netdev = nic.netdev;
  return s.vm()->qmp().execute("set_link", {{"name", netdev}, {"up", !begin}}, deadline);
}

void LabCoordinator::apply(PendingFault& f, TimePoint now) {
  MachineSession* s = session(f.fault.machine);
  f.stage = PendingFault::Stage::over;
  if (s == nullptr || s->finished() || s->vm() == nullptr) {
    f.record.detail = "not applied: machine '" + f.fault.machine + "' had already ended";
    return;
  }
  const bool pause = f.fault.kind == lab::FaultKind::pause;
  if (pause) s->set_paused(true, now);
  auto done = send_fault(*s, f.fault, true);
  if (!done) {
    if (pause) s->set_paused(false, util::SteadyClock::now());
    f.record.detail =
        "not applied: QMP " + std::string(pause ? "stop" : "set_link") + " failed: " + done.error().message;
    s->note("fault " + f.record.kind + " " + f.record.detail);
    say_(f.fault.machine + ": fault " + f.record.kind + " " + f.record.detail);
    return;
  }
  f.stage = PendingFault::Stage::active;
  f.applied = now;
  f.record.applied_at_s = since_start(now);
  f.record.detail.clear();
  const std::string what = pause ? "paused" : "link on network '" + f.fault.network + "' down";
  s->note("fault: " + what + " for " + seconds(f.record.duration_s));
  say_(f.fault.machine + ": fault: " + what + " for " + seconds(f.record.duration_s));
}

void LabCoordinator::end(PendingFault& f, TimePoint now) {
  MachineSession* s = session(f.fault.machine);
  f.stage = PendingFault::Stage::over;
  f.ended = now;
  f.record.ended_at_s = since_start(now);
  if (s == nullptr || s->finished() || s->vm() == nullptr) return;
  const bool pause = f.fault.kind == lab::FaultKind::pause;
  auto done = send_fault(*s, f.fault, false);
  if (pause) s->set_paused(false, util::SteadyClock::now());
  if (!done) {
    f.record.detail = "could not end the fault: QMP " + std::string(pause ? "cont" : "set_link") +
                      " failed: " + done.error().message;
    s->abort(Verdict::error, f.record.detail);
    return;
  }
  s->note(std::string("fault over: ") + (pause ? "resumed" : "link up"));
  say_(f.fault.machine + ": fault over: " + (pause ? "resumed" : "link up"));
}

void LabCoordinator::check_recovery(TimePoint now) {
  for (auto& f : faults_) {
    if (f.stage != PendingFault::Stage::over || !f.record.ended_at_s || f.recovery_checked) continue;
    if (!f.record.first_progress_after_s) {
      std::optional<TimePoint> first;
      for (auto& s : sessions_)
        if (auto t = s->first_progress_after(f.ended); t && (!first || *t < *first)) first = t;
      if (first) f.record.first_progress_after_s = std::chrono::duration<double>(*first - f.ended).count();
    }
    const bool at_work = std::any_of(sessions_.begin(), sessions_.end(), [](const auto& s) {
      return !s->finished() && !s->workloads_over() && s->services().empty();
    });
    if (!at_work)
      f.recovery_checked =
          f.record.first_progress_after_s.has_value() ||
          std::all_of(sessions_.begin(), sessions_.end(), [](const auto& s) { return s->finished(); });
    if (now < f.ended + f.fault.recover_within) continue;
    f.recovery_checked = true;
    for (auto& s : sessions_) {
      // Service machines end when released; the machines still at work did not recover.
      if (s->finished() || s->workloads_over() || !s->services().empty()) continue;
      s->abort(Verdict::hang, "did not finish within " +
                                  seconds(std::chrono::duration<double>(f.fault.recover_within).count()) +
                                  " after the " + f.record.kind + " of machine '" + f.fault.machine +
                                  "' ended");
    }
  }
}

TimePoint LabCoordinator::next_deadline() const {
  TimePoint next = TimePoint::max();
  if (!started_) return next;
  for (const auto& f : faults_) {
    if (f.stage == PendingFault::Stage::planned)
      if (auto clock = clock_of(f.fault)) next = std::min(next, *clock + f.fault.at);
    if (f.stage == PendingFault::Stage::active) next = std::min(next, f.applied + f.fault.duration);
    if (f.stage == PendingFault::Stage::over && f.record.ended_at_s && !f.recovery_checked)
      next = std::min(next, f.ended + f.fault.recover_within);
  }
  return next;
}

std::vector<result::FaultRecord> LabCoordinator::fault_records() const {
  std::vector<result::FaultRecord> out;
  for (const auto& f : faults_) {
    out.push_back(f.record);
    if (f.stage == PendingFault::Stage::planned && !clock_of(f.fault))
      out.back().detail = "not applied: progress counter '" + f.fault.after + "' never moved on any machine";
    if (!f.record.ended_at_s) continue;
    auto& resumed = out.back().resumed;
    for (const auto& s : sessions_)
      for (const auto& [counter, t] : s->counters_moved_after(f.ended))
        resumed.push_back({s->name(), counter, std::chrono::duration<double>(t - f.ended).count()});
    std::stable_sort(resumed.begin(), resumed.end(),
                     [](const auto& a, const auto& b) { return a.after_s < b.after_s; });
  }
  return out;
}

}  // namespace numalab::run
