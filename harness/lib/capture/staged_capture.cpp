#include "capture/staged_capture.hpp"

#include "capture/capture_steps.hpp"

namespace numalab::capture {

namespace {

double seconds_between(util::TimePoint a, util::TimePoint b) {
  return std::chrono::duration<double>(b - a).count();
}

// Runs the steps in order, timing and recording each, and rewrites capture.json after every one.
class StagedCapture {
 public:
  StagedCapture(launch::QmpClient& qmp, const CaptureTarget& target, const CaptureOptions& options,
                const CaptureIo& io)
      : context_{qmp, target, options, io}, target_(target) {
    record_.verdict = target.verdict;
    record_.started_at_s = seconds_between(target.vm_started, started_);
  }

  template <class Step>
  StepStatus step(std::string name, Step&& run) {
    const auto t0 = util::SteadyClock::now();
    StepResult r = context_.io.cancelled() ? StepResult::skipped("numalab was interrupted") : run();
    record_.steps.push_back({std::move(name), r.status, seconds_between(t0, util::SteadyClock::now()),
                             seconds_between(target_.vm_started, t0), std::move(r.detail)});
    save();
    return record_.steps.back().status;
  }
  void skip(std::string name, std::string why) {
    step(std::move(name), [&] { return StepResult::skipped(why); });
  }

  StepContext& context() { return context_; }
  CaptureRecord& record() { return record_; }
  void save() {
    record_.total_seconds = seconds_between(started_, util::SteadyClock::now());
    write_capture_json(record_, target_.dir / k_capture_json);
  }

 private:
  util::TimePoint started_ = util::SteadyClock::now();
  StepContext context_;
  const CaptureTarget& target_;
  CaptureRecord record_;
};

// QMP query-status: "running", "guest-panicked", "paused", ...
StepResult query_status(StepContext& c, std::string& state) {
  auto r = c.qmp.execute("query-status", nlohmann::json::object(), util::Deadline::after(c.options.qmp_step));
  if (!r) {
    state = "unknown";
    return StepResult::failed(r.error().message);
  }
  state = r->value("status", "unknown");
  return StepResult::ok(state);
}

void signals_and_registers(StagedCapture& cap, bool guest_runs, const std::string& state) {
  auto& c = cap.context();
  const auto& o = c.options;
  const std::string paused_why =
      "the guest is not running (" + state +
      (state == "guest-panicked" ? ": paused after the panic by pvpanic's panic=pause" : "") +
      "): it cannot take keys or an NMI";
  for (char key : {'w', 'l', 't'}) {
    const std::string name = std::string("sysrq-") + key;
    if (!o.sysrq)
      cap.skip(name, "turned off");
    else if (!guest_runs)
      cap.skip(name, paused_why);
    else
      cap.step(name, [&] { return send_sysrq(c, key, key == 't' ? o.after_sysrq_t : o.after_sysrq); });
  }
  if (!o.nmi)
    cap.skip("nmi", "turned off");
  else if (!guest_runs)
    cap.skip("nmi", paused_why);
  else
    cap.step("nmi", [&] { return inject_nmi(c); });
  if (!o.registers) {
    cap.skip("registers-1", "turned off");
    cap.skip("registers-2", "turned off");
    return;
  }
  cap.step("registers-1", [&] { return save_registers(c, c.target.dir / "registers-1.txt"); });
  if (guest_runs) pump_until(c.io, util::SteadyClock::now() + o.registers_gap);  // a paused guest's stay put
  cap.step("registers-2", [&] { return save_registers(c, c.target.dir / "registers-2.txt"); });
}

}  // namespace

double StepContext::since_start() const {
  return seconds_between(target.vm_started, util::SteadyClock::now());
}

CaptureRecord run_staged_capture(launch::QmpClient& qmp, const CaptureTarget& target,
                                 const CaptureOptions& options, const CaptureIo& io) {
  StagedCapture cap(qmp, target, options, io);
  auto& c = cap.context();
  c.io.mark("[numalab: " + target.verdict + ": taking evidence before QEMU is stopped, at +" +
            std::to_string(static_cast<int>(c.since_start())) + " s]");
  std::string state;
  cap.step("query-status", [&] { return query_status(c, state); });
  cap.record().guest_state = state;
  // "unknown": QMP did not answer; the keys may still arrive, so they are tried.
  const bool guest_runs = state == "running" || state == "unknown";
  signals_and_registers(cap, guest_runs, state);

  bool have_dump = false;
  if (!options.memory_dump)
    cap.skip("memory-dump", "turned off (--no-dump)");
  else
    have_dump = cap.step("memory-dump", [&] { return dump_memory(c); }) == StepStatus::ok;
  const bool have_vmlinux = cap.step("vmlinux", [&] { return place_vmlinux(c); }) == StepStatus::ok;
  if (!options.analysis)
    cap.skip("analysis", "turned off");
  else if (!have_dump)
    cap.skip("analysis", "no memory dump");
  else if (!have_vmlinux)
    cap.skip("analysis", "no vmlinux with debug information for this kernel");
  else
    cap.step("analysis", [&] { return analyse_dump(c); });
  io.pump();
  cap.save();
  return cap.record();
}

}  // namespace numalab::capture
