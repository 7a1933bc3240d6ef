#include "run/machine_session.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "workload/guest_params.hpp"

namespace numalab::run {

using result::Verdict;
using util::SteadyClock;
using util::TimePoint;

MachineSession::MachineSession(const lab::Machine& machine, std::vector<lab::Workload> workloads,
                               SessionLimits limits, std::filesystem::path dir,
                               result::MachineResult identity)
    : machine_(machine),
      workloads_(std::move(workloads)),
      limits_(limits),
      dir_(std::move(dir)),
      identity_(std::move(identity)) {
  console_log_.open(dir_ / "console.log", std::ios::binary);
  transcript_.open(dir_ / "agent.jsonl", std::ios::binary);
  std::map<std::string, int> seen;
  for (const auto& w : workloads_) {
    result::WorkloadResult r;
    // The name results are known by: "numa01/hard-bind" for a variant, "#2" on a repeat.
    r.name = lab::workload_label(w);
    if (const int n = ++seen[r.name]; n > 1) r.name += "#" + std::to_string(n);
    r.machine = machine_.name;
    r.verdict = Verdict::error;
    r.detail = "not run";
    results_.push_back(std::move(r));
  }
  started_ = SteadyClock::now();
}

void MachineSession::attach(std::unique_ptr<launch::Vm> vm) {
  vm_ = std::move(vm);
  started_ = vm_->started_at();
  last_sign_of_life_ = started_;
}

double MachineSession::since_start(TimePoint t) const {
  return std::chrono::duration<double>(t - started_).count();
}

void MachineSession::transcript(std::string_view dir, std::string_view line) {
  if (transcript_bytes_ > limits_.max_log_bytes) return;
  nlohmann::json j{{"at", since_start(SteadyClock::now())}, {"dir", dir}, {"line", std::string(line)}};
  const std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  transcript_bytes_ += text.size();
  transcript_ << text;
  transcript_.flush();
}

void MachineSession::on_console(std::string_view bytes) {
  if (console_bytes_ < limits_.max_log_bytes) {
    console_log_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    console_log_.flush();
    console_bytes_ += bytes.size();
    if (console_bytes_ >= limits_.max_log_bytes) console_log_ << "\n[numalab: console log truncated]\n";
  }
  for (const auto& report : classifier_.feed(bytes)) {
    if (monitor::is_fatal(report.kind) && state_ != State::stopping && state_ != State::finished)
      conclude(Verdict::crash,
               "kernel " + std::string(monitor::to_string(report.kind)) + ": " + report.first_line,
               SteadyClock::now() + limits_.settle);
  }
  kernel_reports_.feed(bytes);
  take_kernel_reports(SteadyClock::now());
}

// The kernel's own detectors of a task that cannot go on. A hung-task report is the hang verdict
// even while the agent keeps answering (the blocked task may be a workload's child); lockups and
// RCU stalls are kept as evidence, because a host starving a TCG guest causes them too.
void MachineSession::take_kernel_reports(TimePoint now) {
  for (auto& r : kernel_reports_.take()) {
    if (identity_.kernel_reports.size() >= result::k_max_kernel_reports) continue;
    transcript("note", "kernel report " + r.kind + ": " + r.title +
                           " (console.log:" + std::to_string(r.line_number) + ")");
    if (r.kind == "hung-task" && state_ != State::stopping && state_ != State::finished) {
      std::string why = "kernel hung task: " + r.title;
      for (const auto& earlier : identity_.kernel_reports)
        if (earlier.kind.starts_with("lockdep")) {
          why += "; lockdep reported before it: " + earlier.title;
          break;
        }
      conclude(Verdict::hang, why, now + limits_.settle);
    }
    identity_.kernel_reports.push_back(std::move(r));
  }
}

void MachineSession::on_agent(std::string_view bytes) {
  const auto now = SteadyClock::now();
  const double now_s = since_start(now);
  for (auto& line : agent_lines_.feed(bytes)) {
    if (!agent_rate_.allow(now_s)) continue;
    transcript("in", line);
    auto msg = agent::decode_guest_message(line);
    if (!msg) {
      ++malformed_;
      transcript("note", "malformed: " + msg.error());
      continue;
    }
    handle(*msg, now);
  }
}

void MachineSession::send_plan() {
  agent::Plan plan;
  plan.expected = machine_.topology();
  for (const auto& w : workloads_) plan.workloads.push_back({w.name, w.params});
  for (const auto& nic : links_.nics) plan.interfaces.push_back(nic.interface);
  plan.hosts = links_.hosts;
  const std::string line = agent::encode(plan);
  transcript("out", line);
  (void)launch::write_all(vm_->agent_fd(), line + "\n", util::Deadline::after(std::chrono::seconds(5)));
}

void MachineSession::handle(const agent::GuestMessage& m, TimePoint now) {
  if (state_ == State::stopping || state_ == State::finished) return;
  last_sign_of_life_ = now;
  if (const auto* hello = std::get_if<agent::Hello>(&m)) {
    if (state_ != State::booting) return;
    identity_.boot_seconds = since_start(now);
    identity_.kernel.release = hello->kernel_release;
    identity_.topology_seen = hello->topology;
    for (const auto& note : hello->notes) transcript("note", "agent: " + note);
    if (!links_.waits_for.empty()) {
      state_ = State::waiting;
      waiting_since_ = now;
      return;
    }
    state_ = State::running;
    send_plan();
  } else if (const auto* start = std::get_if<agent::StepStart>(&m)) {
    if (started_steps_ >= results_.size() || workloads_[started_steps_].name != start->workload) return;
    results_[started_steps_].detail = "did not finish";
    ++started_steps_;
    step_open_ = true;
    progress_.clear();
  } else if (const auto* metric = std::get_if<agent::Metric>(&m)) {
    if (step_open_ && workloads_[started_steps_ - 1].name == metric->workload)
      results_[started_steps_ - 1].metrics[metric->name] = {metric->value, metric->unit, metric->better,
                                                            metric->absent};
  } else if (const auto* sample = std::get_if<agent::Sample>(&m)) {
    if (step_open_ && workloads_[started_steps_ - 1].name == sample->workload) {
      add_sample(results_[started_steps_ - 1], *sample);
      track_progress(*sample, now);
    }
  } else if (const auto* end = std::get_if<agent::StepEnd>(&m)) {
    if (!step_open_ || workloads_[started_steps_ - 1].name != end->workload) return;
    auto& r = results_[started_steps_ - 1];
    r.verdict = result::verdict_from_string(end->verdict).value_or(Verdict::error);
    r.detail = end->detail;
    r.elapsed_s = end->elapsed_s;
    step_open_ = false;
    progress_.clear();
  } else if (const auto* ready = std::get_if<agent::Ready>(&m)) {
    if (std::find(ready_.begin(), ready_.end(), ready->service) == ready_.end() && ready_.size() < 64) {
      ready_.push_back(ready->service);
      transcript("note", "service ready: " + ready->service);
    }
  } else if (std::holds_alternative<agent::Done>(m)) {
    state_ = State::powering_off;
    stop_at_ = now + std::chrono::seconds(15);  // the guest powers itself off; QMP quit after this
  }
}

void MachineSession::add_sample(result::WorkloadResult& r, const agent::Sample& s) {
  auto it = r.series.find(s.name);
  if (it == r.series.end()) {
    if (r.series.size() >= result::k_max_series_per_workload) return;
    it = r.series.emplace(s.name, std::vector<result::SeriesPoint>{}).first;
  }
  if (it->second.size() < result::k_max_points_per_series) it->second.push_back({s.at_s, s.value});
}

void MachineSession::on_qmp_events(const std::vector<launch::QmpEvent>& events) {
  for (const auto& e : events) {
    transcript("qmp", e.name + " " + e.data.dump());
    if (e.name == "GUEST_PANICKED" && state_ != State::stopping && state_ != State::finished)
      conclude(Verdict::crash, "the guest kernel panicked (pvpanic)", SteadyClock::now() + limits_.settle);
  }
}

void MachineSession::on_qemu_exit(const util::ExitStatus& status) {
  if (state_ == State::finished) return;
  if (state_ != State::powering_off && state_ != State::stopping) {
    std::string why = "QEMU exited (" + status.to_string() + ") before the agent finished";
    if (state_ == State::booting) why += "; the guest never said hello (see console.log)";
    conclude(Verdict::error, why + "\n" + launch::tail_of_file(dir_ / "qemu.log", 4), TimePoint::min());
  }
  shut_down();
}

void MachineSession::on_time(TimePoint now) {
  if (state_ == State::finished) return;
  if (state_ == State::powering_off && now >= stop_at_) state_ = State::stopping;
  if (state_ == State::stopping) {
    if (now >= stop_at_) shut_down();
    return;
  }
  if (state_ == State::booting && now - started_ > limits_.boot_timeout) {
    const bool printed = classifier_.lines() > 0;
    conclude(printed ? Verdict::hang : Verdict::error,
             printed ? "no agent hello " + std::to_string(limits_.boot_timeout.count()) +
                           " s after QEMU started; the kernel printed " +
                           std::to_string(classifier_.lines()) + " console lines, then stopped"
                     : "the guest printed nothing in " + std::to_string(limits_.boot_timeout.count()) +
                           " s (does the kernel have a serial console on ttyS0?)",
             now);
  } else if (state_ == State::running && !paused_ && now - last_sign_of_life_ > silence_limit()) {
    std::string doing = step_open_ ? " during workload " + results_[started_steps_ - 1].name : "";
    const auto silent = std::chrono::duration_cast<std::chrono::seconds>(now - last_sign_of_life_);
    conclude(Verdict::hang,
             "no heartbeat from the guest agent for " + std::to_string(silent.count()) + " s" + doing +
                 frozen_counters(now),
             now);
  } else if (state_ == State::running && !paused_ && !progress_.empty() &&
             now - latest_progress() > stall_window()) {
    const auto frozen = std::chrono::duration_cast<std::chrono::seconds>(now - latest_progress());
    conclude(Verdict::hang,
             "no progress for " + std::to_string(frozen.count()) + " s in workload " +
                 results_[started_steps_ - 1].name + " while the agent kept answering" + frozen_counters(now),
             now);
  } else if (now - started_ > limits_.run_timeout) {
    conclude(Verdict::hang,
             "the machine did not finish within the run limit of " +
                 std::to_string(limits_.run_timeout.count()) + " s",
             now);
  }
}

void MachineSession::conclude(Verdict v, std::string reason, TimePoint stop_at) {
  if (state_ == State::stopping || state_ == State::finished) return;
  verdict_ = v;
  reason_ = std::move(reason);
  state_ = State::stopping;
  stop_at_ = stop_at;
  transcript("note", "verdict " + std::string(result::to_string(v)) + ": " + reason_);
  if (step_open_) {
    results_[started_steps_ - 1].verdict = v;
    results_[started_steps_ - 1].detail = reason_;
  }
  for (std::size_t i = started_steps_; i < results_.size(); ++i) results_[i].detail = "not run: " + reason_;
}

void MachineSession::abort(Verdict verdict, std::string reason) {
  conclude(verdict, std::move(reason), TimePoint::min());
  shut_down();
}

TimePoint MachineSession::next_deadline() const {
  switch (state_) {
    case State::booting:
      return std::min(started_ + limits_.boot_timeout, started_ + limits_.run_timeout) +
             std::chrono::milliseconds(1);
    case State::waiting:
      return started_ + limits_.run_timeout + std::chrono::milliseconds(1);
    case State::running: {
      auto next = std::min(last_sign_of_life_ + silence_limit(), started_ + limits_.run_timeout);
      if (!progress_.empty()) next = std::min(next, latest_progress() + stall_window());
      return next + std::chrono::milliseconds(1);
    }
    case State::powering_off:
    case State::stopping:
      return stop_at_;
    case State::finished:
      return TimePoint::max();
  }
  return TimePoint::max();
}

void MachineSession::shut_down() {
  if (state_ == State::finished) return;
  auto finish_reports = [this] {
    kernel_reports_.finish();
    take_kernel_reports(SteadyClock::now());
  };
  if (vm_ && capture_ && (verdict_ == Verdict::hang || verdict_ == Verdict::crash) &&
      vm_->process().running()) {
    auto capture = std::move(capture_);
    capture_ = nullptr;
    CaptureIo io{[this] { drain_console(); },
                 [this](std::string_view line) {
                   console_log_ << "\n" << line << "\n";
                   console_log_.flush();
                 }};
    capture(*vm_, dir_, verdict_, io);
  }
  if (vm_) vm_->shutdown();
  drain_console();
  finish_reports();
  state_ = State::finished;
}

void MachineSession::drain_console() {
  if (!vm_ || vm_->console_fd() < 0) return;
  char buf[16384];
  for (int i = 0; i < 64; ++i) {
    const ssize_t n = ::read(vm_->console_fd(), buf, sizeof buf);
    if (n <= 0) return;
    on_console(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

void MachineSession::set_links(const MachineLinks& links) { links_ = links; }

void MachineSession::start_workloads() {
  if (state_ != State::waiting) return;
  state_ = State::running;
  last_sign_of_life_ = SteadyClock::now();
  send_plan();
}

bool MachineSession::services_ready() const {
  return std::all_of(links_.services.begin(), links_.services.end(), [&](const std::string& s) {
    return std::find(ready_.begin(), ready_.end(), s) != ready_.end();
  });
}

void MachineSession::release() {
  if (released_ || !vm_ || state_ != State::running) return;
  released_ = true;
  const std::string line = agent::encode_release();
  transcript("out", line);
  (void)launch::write_all(vm_->agent_fd(), line + "\n", util::Deadline::after(std::chrono::seconds(5)));
}

void MachineSession::set_paused(bool paused, TimePoint now) {
  paused_ = paused;
  if (paused) return;
  // The pause is nobody's silence: the watch starts again from the moment the machine resumed.
  last_sign_of_life_ = now;
  for (auto& [name, p] : progress_) p.changed = std::max(p.changed, now);
  last_progress_sample_ = std::max(last_progress_sample_, now);
}

std::chrono::milliseconds MachineSession::silence_limit() const {
  // A workload that reports progress is sampled twice before a silence is a hang: once at the
  // heartbeat timeout, and again one timeout later, with every counter still frozen. When its lab
  // file sets a stall_timeout, a silent agent gets as long: the author said how long the guest may
  // legitimately stand still (e.g. past TCP's retransmission backoff), and a guest whose every
  // thread waits in reclaim is standing still.
  if (progress_.empty()) return std::chrono::milliseconds(limits_.hang_timeout);
  const auto twice = std::chrono::milliseconds(2 * limits_.hang_timeout);
  if (auto set = lab_stall_timeout()) return std::max(twice, *set);
  return twice;
}

std::optional<std::chrono::milliseconds> MachineSession::lab_stall_timeout() const {
  if (!step_open_) return std::nullopt;
  auto d = workload::duration_param(workloads_[started_steps_ - 1].params, "stall_timeout");
  return d ? *d : std::nullopt;
}

std::chrono::milliseconds MachineSession::stall_window() const {
  return lab_stall_timeout().value_or(limits_.stall_timeout);
}

void MachineSession::track_progress(const agent::Sample& s, TimePoint now) {
  if (!s.name.starts_with("progress.")) return;
  last_progress_sample_ = now;
  auto it = progress_.find(s.name);
  if (it == progress_.end()) {
    if (progress_.size() >= 16) return;
    progress_.emplace(s.name, Progress{s.value, now});
    return;
  }
  if (it->second.value == s.value) return;
  it->second = {s.value, now};
  if (progress_change_count_ < k_max_progress_changes) {
    progress_changes_[s.name.substr(std::string_view("progress.").size())].push_back(now);
    ++progress_change_count_;
  }
}

TimePoint MachineSession::latest_progress() const {
  TimePoint latest = TimePoint::min();
  for (const auto& [name, p] : progress_) latest = std::max(latest, p.changed);
  return latest;
}

std::string MachineSession::frozen_counters(TimePoint now) const {
  return describe_frozen(progress_, last_progress_sample_, now);
}

std::map<std::string, TimePoint> MachineSession::counters_moved_after(TimePoint since) const {
  std::map<std::string, TimePoint> moved;
  for (const auto& [name, times] : progress_changes_) {
    auto it = std::upper_bound(times.begin(), times.end(), since);
    if (it != times.end()) moved.emplace(name, *it);
  }
  return moved;
}

std::optional<TimePoint> MachineSession::first_move_of(const std::string& counter) const {
  auto it = progress_changes_.find(counter);
  if (it == progress_changes_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::optional<TimePoint> MachineSession::first_progress_after(TimePoint since) const {
  std::optional<TimePoint> first;
  for (const auto& [name, t] : counters_moved_after(since))
    if (!first || t < *first) first = t;
  return first;
}

std::vector<result::WorkloadResult> MachineSession::workload_results() const { return results_; }

std::string MachineSession::activity() const {
  switch (state_) {
    case State::booting:
      return "booting";
    case State::waiting: {
      std::string text = "waiting for";
      for (const auto& m : links_.waits_for) text += " " + m;
      return text;
    }
    case State::running:
      return step_open_ ? results_[started_steps_ - 1].name : "running";
    case State::powering_off:
      return "powering off";
    case State::stopping:
      return "stopping";
    case State::finished:
      return "finished";
  }
  return "";
}

}  // namespace numalab::run
