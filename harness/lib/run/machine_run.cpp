#include "run/machine_run.hpp"

#include <unistd.h>

#include <algorithm>

#include "launch/qmp_transport.hpp"
#include "workload/common/params.hpp"

namespace numalab::run {

using result::Verdict;
using util::TimePoint;

namespace {

constexpr std::size_t k_read_chunk = 16384;
constexpr std::size_t k_max_services = 64;
constexpr auto k_qmp_fault_limit = std::chrono::seconds(3);

// Reads what `fd` holds now, at most `rounds` chunks (so one flooding guest cannot starve the
// others). Returns false when the peer closed.
template <class Sink>
bool read_available(int fd, int rounds, Sink&& sink) {
  char buf[k_read_chunk];
  for (int i = 0; i < rounds; ++i) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      sink(std::string_view(buf, static_cast<std::size_t>(n)));
      continue;
    }
    return n < 0 && (errno == EAGAIN || errno == EINTR);
  }
  return true;
}

std::optional<std::chrono::milliseconds> lab_stall_timeout(const lab::Workload* w) {
  if (w == nullptr) return std::nullopt;
  auto d = workload::duration_param(w->params, "stall_timeout");
  return d ? *d : std::nullopt;
}

}  // namespace

MachineRun::MachineRun(MachinePlan plan, WatchLimits limits, std::filesystem::path dir,
                       result::MachineResult identity, StatusSink& status)
    : plan_(std::move(plan)),
      dir_(std::move(dir)),
      identity_(std::move(identity)),
      status_(status),
      console_log_(dir_ / "console.log"),
      transcript_(dir_ / "agent.jsonl"),
      steps_(plan_.machine.name, plan_.workloads),
      limits_(limits),
      watch_(limits, TimePoint{}) {}

MachineRun::~MachineRun() = default;

double MachineRun::since_start(TimePoint t) const {
  return std::chrono::duration<double>(t - started_).count();
}

void MachineRun::attach(std::unique_ptr<launch::Vm> vm, std::unique_ptr<capture::EvidenceTaker> evidence) {
  take_vm(std::move(vm), std::move(evidence));
  status_.on(MachineBooting{name()});
}

void MachineRun::take_vm(std::unique_ptr<launch::Vm> vm, std::unique_ptr<capture::EvidenceTaker> evidence) {
  vm_ = std::move(vm);
  evidence_ = std::move(evidence);
  started_ = vm_->started_at();
  watch_ = MachineWatch(limits_, started_);
  status_.on(MachineStarted{name(), vm_->describe()});
}

void MachineRun::attach_restored(std::unique_ptr<launch::Vm> vm,
                                 std::unique_ptr<capture::EvidenceTaker> evidence,
                                 const launch::StartupEntry& entry, TimePoint now) {
  take_vm(std::move(vm), std::move(evidence));
  identity_.boot = "restore";
  identity_.startup_key = entry.record.key;
  note("restored from startup cache entry " + entry.record.key + " (" + entry.dir.string() +
           "), booted and saved " + entry.record.created_at + "; its hello is the entry's",
       now);
  hello(entry.record.hello, now);
}

void MachineRun::booting_fresh_because(std::string why, TimePoint now) {
  note("booting fresh: " + why, now);
  identity_.boot_note = std::move(why);
}

MachineRun::Streams MachineRun::streams() const {
  Streams s;
  if (state_ == State::ending) s.ending = ending_->fd();
  if (!vm_ || state_ == State::ending || state_ == State::finished) return s;
  if (console_open_) s.console = vm_->console_fd();
  if (agent_open_) s.agent = vm_->agent_fd();
  s.qmp = vm_->qmp_fd();
  return s;
}

void MachineRun::on_console(TimePoint now) {
  if (!vm_ || state_ == State::ending || state_ == State::finished) return;
  console_open_ = read_available(vm_->console_fd(), 4, [&](std::string_view b) { read_console(b, now); });
  after_event(now);
}

void MachineRun::read_console(std::string_view bytes, TimePoint now) {
  console_log_.write(bytes);
  for (const auto& report : kernel_reports_.feed(bytes))
    if (report.fatal)
      watch_.fatal_console_report(std::string(monitor::crash_name(report.kind)), report.first_line, now);
  take_kernel_reports(now, true);
}

void MachineRun::take_kernel_reports(TimePoint now, bool decide) {
  for (auto& r : kernel_reports_.take()) {
    if (identity_.kernel_reports.size() >= result::k_max_kernel_reports) continue;
    note("kernel report " + r.kind + ": " + r.title + " (console.log:" + std::to_string(r.line_number) + ")",
         now);
    if (decide) watch_.kernel_report(r, identity_.kernel_reports, now);
    identity_.kernel_reports.push_back(std::move(r));
  }
}

void MachineRun::on_agent(TimePoint now) {
  if (!vm_ || state_ == State::ending || state_ == State::finished) return;
  agent_open_ = read_available(vm_->agent_fd(), 4, [&](std::string_view bytes) {
    for (auto& received : link_.feed(bytes, since_start(now))) {
      transcript_.line(since_start(now), "in", received.line);
      if (!received.message) {
        note("malformed: " + received.message.error(), now);
        continue;
      }
      handle(*received.message, now);
    }
  });
  after_event(now);
}

void MachineRun::handle(const agent::GuestMessage& m, TimePoint now) {
  if (state_ == State::concluded || state_ == State::ending || state_ == State::finished) return;
  watch_.sign_of_life(now);
  if (const auto* h = std::get_if<agent::Hello>(&m)) {
    hello(*h, now);
  } else if (const auto* ready = std::get_if<agent::Ready>(&m)) {
    if (std::find(ready_.begin(), ready_.end(), ready->service) == ready_.end() &&
        ready_.size() < k_max_services) {
      ready_.push_back(ready->service);
      note("service ready: " + ready->service, now);
    }
  } else if (const auto* blocked = std::get_if<agent::Blocked>(&m)) {
    watch_.blocked(*blocked, now);
  } else if (std::holds_alternative<agent::Done>(m)) {
    state_ = State::powering_off;
    poweroff_deadline_ = now + k_poweroff_grace;  // the guest powers itself off; QMP quit after this
    watch_.powering_off();
    status_.on(MachinePoweringOff{name()});
  } else {
    step_message(m, now);
  }
}

void MachineRun::hello(const agent::Hello& h, TimePoint now) {
  if (state_ != State::booting) return;
  identity_.boot_seconds = since_start(now);
  identity_.kernel.release = h.kernel_release;
  identity_.topology_seen = h.topology;
  for (const auto& n : h.notes) note("agent: " + n, now);
  status_.on(MachineHello{name(), identity_.boot_seconds, h.kernel_release, identity_.boot == "restore"});
  const bool waits = !plan_.links.waits_for.empty();
  watch_.hello(waits, now);
  if (waits) {
    state_ = State::waiting;
    waiting_since_ = now;
    status_.on(MachineWaiting{name(), plan_.links.waits_for});
    return;
  }
  state_ = State::running;
  send_plan(now);
}

void MachineRun::send_plan(TimePoint now) {
  auto plan = plan_for(plan_.machine, plan_.workloads, plan_.links);
  // The one wall clock the run stage reads: a restored guest's clock is the saved one.
  if (identity_.boot == "restore")
    plan.host_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  send_line(agent::encode(plan), now);
}

void MachineRun::step_message(const agent::GuestMessage& m, TimePoint now) {
  if (const auto* start = std::get_if<agent::StepStart>(&m)) {
    if (!steps_.start(*start)) return;
    watch_.step_started(steps_.open_label(), lab_stall_timeout(steps_.open_workload()));
    status_.on(StepStarted{name(), steps_.open_label()});
  } else if (const auto* metric = std::get_if<agent::Metric>(&m)) {
    steps_.metric(*metric);
  } else if (const auto* sample = std::get_if<agent::Sample>(&m)) {
    if (steps_.sample(*sample)) watch_.progress().sample(sample->name, sample->value, now);
  } else if (const auto* end = std::get_if<agent::StepEnd>(&m)) {
    if (!steps_.end(*end)) return;
    watch_.step_ended();
    const auto& r = steps_.last_ended();
    status_.on(StepEnded{name(), r.name, r.verdict, r.elapsed_s});
  }
}

void MachineRun::send_line(const std::string& line, TimePoint now) {
  transcript_.line(since_start(now), "out", line);
  (void)launch::write_all(vm_->agent_fd(), line + "\n", util::Deadline::after(std::chrono::seconds(5)));
}

void MachineRun::on_qmp(TimePoint now) {
  if (!vm_ || state_ == State::ending || state_ == State::finished) return;
  auto events = vm_->qmp().poll_events();
  if (!events) return;
  for (const auto& e : *events) {
    transcript_.line(since_start(now), "qmp", e.name + " " + e.data.dump());
    if (e.name == "GUEST_PANICKED") watch_.guest_panicked(now);
  }
  after_event(now);
}

void MachineRun::after_event(TimePoint now) {
  const auto& c = watch_.conclusion();
  if (!c || state_ == State::concluded || state_ == State::ending || state_ == State::finished) return;
  state_ = State::concluded;
  note("verdict " + std::string(result::to_string(c->verdict)) + ": " + c->reason, now);
  // Whatever the verdict, the tasks the agent last reported in D are evidence: with all their frames.
  for (const auto& t : watch_.tasks_in_d().all())
    note("in D at the verdict: " + describe_stuck(t, now, agent::k_max_stack_frames) + " (" +
             std::to_string(t.task.switches) + " context switches)",
         now);
  steps_.conclude(c->verdict, c->reason);
  status_.on(MachineConcluded{name(), c->verdict, c->reason});
}

void MachineRun::on_time(TimePoint now) {
  if (state_ == State::finished) return;
  if (state_ == State::ending) return finish_ending(now);
  if (!vm_) return;
  if (auto exit = vm_->exited()) {  // the guest powered off, or QEMU ended by itself
    watch_.vm_exited(exit->to_string(), vm_->log_tail(4), now);
    after_event(now);
    return begin_ending(false, now);
  }
  watch_.check(now, kernel_reports_.lines());
  after_event(now);
  if (state_ == State::powering_off && now >= poweroff_deadline_) return begin_ending(false, now);
  if (state_ == State::concluded && now >= watch_.conclusion()->stop_at) {
    const auto v = watch_.conclusion()->verdict;
    begin_ending(evidence_ && (v == Verdict::hang || v == Verdict::crash), now);
  }
}

TimePoint MachineRun::next_deadline() const {
  switch (state_) {
    case State::finished:
    case State::ending:
      return TimePoint::max();
    case State::concluded:
      return watch_.conclusion()->stop_at;
    case State::powering_off:
      return std::min(poweroff_deadline_, watch_.next_deadline());
    default:
      return watch_.next_deadline();
  }
}

void MachineRun::abort(Verdict verdict, std::string reason, TimePoint now) {
  if (state_ == State::ending) return ending_->cancel();
  if (state_ == State::finished) return;
  watch_.conclude(verdict, std::move(reason), now);
  after_event(now);
  if (!vm_) {
    state_ = State::finished;
    return;
  }
  begin_ending(false, now);
}

void MachineRun::conclude(Verdict verdict, std::string reason, TimePoint now) {
  watch_.conclude(verdict, std::move(reason), now);
  after_event(now);
}

void MachineRun::begin_ending(bool with_evidence, TimePoint now) {
  state_ = State::ending;
  ending_started_ = now;
  ending_with_evidence_ = with_evidence;
  if (with_evidence) status_.on(EvidenceStarted{name()});
  ending_ = std::make_unique<MachineEnding>(
      [this, with_evidence](const std::atomic<bool>& cancelled) { end(cancelled, with_evidence); });
}

void MachineRun::finish_ending(TimePoint now) {
  if (!ending_->done()) return;
  ending_->join();
  kernel_reports_.finish();
  take_kernel_reports(now, false);
  if (ending_with_evidence_)
    status_.on(EvidenceTaken{name(), std::chrono::duration<double>(now - ending_started_).count()});
  state_ = State::finished;
}

// On the ending thread: the VM, the console log and the console parser are its own until done.
void MachineRun::end(const std::atomic<bool>& cancelled, bool with_evidence) {
  if (with_evidence) {
    const int console = vm_->console_fd();
    capture::CaptureIo io{[this] { drain_console_after_stop(); },
                          [this](std::string_view line) { console_log_.mark(line); },
                          [console](util::Deadline d) { capture::wait_for_console_bytes(console, d); },
                          console_log_.path(), [&cancelled] { return cancelled.load(); }};
    evidence_->take(*vm_, dir_, watch_.conclusion()->verdict, io);
  }
  vm_->stop();
  drain_console_after_stop();
}

void MachineRun::drain_console_after_stop() {
  if (vm_->console_fd() < 0 || !console_open_) return;
  console_open_ = read_available(vm_->console_fd(), 64, [this](std::string_view bytes) {
    console_log_.write(bytes);
    kernel_reports_.feed(bytes);
  });
}

bool MachineRun::plan_sent() const { return state_ != State::booting && state_ != State::waiting; }

void MachineRun::start_workloads(TimePoint now) {
  if (state_ != State::waiting) return;
  state_ = State::running;
  watch_.plan_sent(now);
  note("every service it waits for is ready: starting its workloads", now);
  status_.on(ServicesReady{name()});
  send_plan(now);
}

bool MachineRun::services_ready() const {
  return std::all_of(plan_.links.services.begin(), plan_.links.services.end(), [&](const std::string& s) {
    return std::find(ready_.begin(), ready_.end(), s) != ready_.end();
  });
}

void MachineRun::release(TimePoint now) {
  if (released_ || !vm_ || state_ != State::running) return;
  released_ = true;
  send_line(agent::encode_release(), now);
}

bool MachineRun::workloads_over() const {
  return state_ != State::booting && state_ != State::waiting && state_ != State::running;
}

bool MachineRun::live() const {
  return vm_ && (state_ == State::booting || state_ == State::waiting || state_ == State::running);
}

util::Result<void> MachineRun::pause(TimePoint now) {
  watch_.set_paused(true, now);
  auto r = vm_->qmp().execute("stop", nlohmann::json::object(), util::Deadline::after(k_qmp_fault_limit));
  if (!r) {
    watch_.set_paused(false, now);
    return std::unexpected(r.error());
  }
  return {};
}

util::Result<void> MachineRun::resume(TimePoint now) {
  auto r = vm_->qmp().execute("cont", nlohmann::json::object(), util::Deadline::after(k_qmp_fault_limit));
  watch_.set_paused(false, now);
  if (!r) return std::unexpected(r.error());
  return {};
}

util::Result<void> MachineRun::set_link(const std::string& netdev, bool up) {
  auto r = vm_->qmp().execute("set_link", {{"name", netdev}, {"up", up}},
                              util::Deadline::after(k_qmp_fault_limit));
  if (!r) return std::unexpected(r.error());
  return {};
}

void MachineRun::note(std::string_view text, TimePoint now) {
  transcript_.line(since_start(now), "note", text);
}

Verdict MachineRun::verdict() const {
  return watch_.conclusion() ? watch_.conclusion()->verdict : Verdict::pass;
}

std::string MachineRun::reason() const { return watch_.conclusion() ? watch_.conclusion()->reason : ""; }

}  // namespace numalab::run
