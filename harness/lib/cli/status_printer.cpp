#include "cli/status_printer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <ostream>

namespace numalab::cli {

namespace {

constexpr auto k_build_line_every = std::chrono::seconds(30);
constexpr std::size_t k_compare_line_width = 90;

std::string clock(double s) {
  const long t = std::lround(s);
  return t >= 60 ? fmt::format("{}m{:02d}s", t / 60, t % 60) : fmt::format("{}s", t);
}

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += " " + n;
  return out;
}

struct LineOf {
  std::optional<std::string> operator()(const kernel::KernelNote& e) const { return e.text; }
  std::optional<std::string> operator()(const kernel::KernelBuildStarted& e) const {
    return fmt::format("building {} (key {}, {})", e.kernel, e.key, e.cold ? "cold" : "incremental");
  }
  std::optional<std::string> operator()(const kernel::KernelBuildProgress& e) const {
    return "building " + e.kernel + " " + kernel::format_build_progress(e);
  }
  std::optional<std::string> operator()(const kernel::KernelReady& e) const {
    return fmt::format("{}: {} (key {})", e.kernel, e.cached ? "cached" : "built", e.key);
  }
  std::optional<std::string> operator()(const run::RunStarted& e) const {
    return "run " + e.run_id + ": " + e.dir.string();
  }
  std::optional<std::string> operator()(const run::ImageReady& e) const {
    return fmt::format("{}: kernel {}{}, guest image {} ({})", e.machine, e.kernel,
                       e.release.empty() ? "" : " (" + e.release + ")", e.image_key,
                       e.cached ? "cached" : "built");
  }
  std::optional<std::string> operator()(const run::AcceleratorChosen& e) const {
    std::string line = "accelerator: " + e.accel + " (" + e.reason + ")";
    if (!e.sandbox) line += "\n  this QEMU has no -sandbox (built without seccomp): running it without one";
    return line;
  }
  std::optional<std::string> operator()(const run::RunFinished&) const { return std::nullopt; }
  std::optional<std::string> operator()(const run::RunInterrupted& e) const {
    return std::string("interrupted by ") + ::strsignal(e.signal) + ": stopping every VM";
  }
  std::optional<std::string> operator()(const run::MachineStarted& e) const {
    return e.machine + ": QEMU started (" + e.vm + ")";
  }
  std::optional<std::string> operator()(const run::MachineBooting& e) const {
    return e.machine + ": booting";
  }
  std::optional<std::string> operator()(const run::MachineHello& e) const {
    if (e.restored)
      return fmt::format("{}: restored in {:.2f} s (startup cache), kernel {}", e.machine, e.boot_s,
                         e.release);
    return fmt::format("{}: agent hello after {:.2f} s, kernel {}", e.machine, e.boot_s, e.release);
  }
  std::optional<std::string> operator()(const run::MachineWaiting& e) const {
    return e.machine + ": waiting for" + list(e.waits_for);
  }
  std::optional<std::string> operator()(const run::ServicesReady& e) const {
    return e.machine + ": services ready, starting its workloads";
  }
  std::optional<std::string> operator()(const run::StepStarted& e) const {
    return e.machine + ": " + e.workload;
  }
  std::optional<std::string> operator()(const run::StepEnded&) const { return std::nullopt; }
  std::optional<std::string> operator()(const run::MachinePoweringOff& e) const {
    return e.machine + ": powering off";
  }
  std::optional<std::string> operator()(const run::MachineConcluded& e) const {
    return fmt::format("{}: {}: {}", e.machine, result::to_string(e.verdict),
                       e.reason.substr(0, e.reason.find('\n')));
  }
  std::optional<std::string> operator()(const run::EvidenceStarted& e) const {
    return e.machine + ": taking the evidence before its VM is stopped (sysrq, registers, memory dump)";
  }
  std::optional<std::string> operator()(const run::EvidenceTaken& e) const {
    return fmt::format("{}: evidence taken in {:.1f} s", e.machine, e.seconds);
  }
  std::optional<std::string> operator()(const run::FaultApplied& e) const {
    return fmt::format("{}: fault: {} for {:.1f} s", e.machine, e.what, e.duration_s);
  }
  std::optional<std::string> operator()(const run::FaultEnded& e) const {
    return e.machine + ": fault over: " + e.what;
  }
  std::optional<std::string> operator()(const run::FaultFailed& e) const {
    return e.machine + ": " + e.detail;
  }
  std::optional<std::string> operator()(const run::CompareRunStarting&) const { return std::nullopt; }
  std::optional<std::string> operator()(const run::CompareRunEnded&) const { return std::nullopt; }
  std::optional<std::string> operator()(const run::ReproRunEnded&) const { return std::nullopt; }
  std::optional<std::string> operator()(const run::ReproRunInterrupted&) const { return std::nullopt; }
  std::optional<std::string> operator()(const run::Note& e) const { return e.text; }
};

}  // namespace

std::optional<std::string> status_line(const run::StatusEvent& event) { return std::visit(LineOf{}, event); }

void StatusPrinter::end_line() {
  if (line_open_) err_ << "\n" << std::flush;
  line_open_ = false;
}

void StatusPrinter::say(const std::string& line) {
  end_line();
  err_ << "  " << line << "\n" << std::flush;
}

void StatusPrinter::build_progress(const kernel::KernelBuildProgress& p) {
  const auto line = "building " + p.kernel + " " + kernel::format_build_progress(p);
  if (terminal_) {
    err_ << "\r  " << line << "\033[K" << std::flush;
    line_open_ = true;
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (last_build_line_ == std::chrono::steady_clock::time_point{}) last_build_line_ = now;
  if (now - last_build_line_ < k_build_line_every) return;
  last_build_line_ = now;
  say(line);
}

void StatusPrinter::compare_line(const run::CompareRun& p, const std::string& activity, bool keep) {
  std::string line = fmt::format("run {} of {}  {}#{}  {}", p.done + (keep ? 0 : 1), p.total, p.kernel,
                                 p.repetition, activity);
  if (p.running > 1) line += fmt::format("  ({} at once)", p.running);
  std::string clocks = "elapsed " + clock(p.elapsed_s);
  if (p.remaining_s) clocks += "  ~" + clock(*p.remaining_s) + " left";
  if (!terminal_) {
    err_ << "  " << line << "  " << clocks << "\n" << std::flush;
    return;
  }
  if (line.size() > k_compare_line_width) line = line.substr(0, k_compare_line_width - 1) + "~";
  err_ << "\r" << line << "  " << clocks << "\033[K" << std::flush;
  line_open_ = true;
  if (keep) end_line();  // a finished run keeps its line
}

void StatusPrinter::on(const run::StatusEvent& event) {
  if (const auto* p = std::get_if<kernel::KernelBuildProgress>(&event)) return build_progress(*p);
  if (const auto* s = std::get_if<run::CompareRunStarting>(&event)) {
    compare_runs_[s->run.seq] = s->run;
    return compare_line(s->run, "starting", false);
  }
  if (const auto* e = std::get_if<run::CompareRunEnded>(&event)) {
    compare_runs_.erase(e->run.seq);
    return compare_line(
        e->run,
        fmt::format("{} in {:.1f} s (run {})", result::to_string(e->verdict), e->duration_s, e->run_id),
        true);
  }
  if (const auto* r = std::get_if<run::ReproRunEnded>(&event)) {
    out_ << fmt::format("repro {} of {}: run {} {} ({}){}{}\n", r->number, r->planned, r->run_id,
                        result::to_string(r->verdict), r->reproduced ? "reproduced" : "not reproduced",
                        r->time_to_failure_s ? fmt::format(" after {:.1f} s", *r->time_to_failure_s) : "",
                        r->reason.empty() ? "" : ": " + r->reason)
         << std::flush;
    return;
  }
  if (const auto* r = std::get_if<run::ReproRunInterrupted>(&event)) {
    out_ << fmt::format("repro {} of {}: run {} interrupted by signal {}\n", r->number, r->planned, r->run_id,
                        r->signal)
         << std::flush;
    return;
  }
  const auto line = status_line(event);
  if (!line) return;
  // During a compare's run, its events are the run's activity: on a terminal they redraw the
  // compare's line; in a log only the run's start and end are said.
  if (!compare_runs_.empty()) {
    if (terminal_) compare_line(compare_runs_.rbegin()->second, *line, false);
    return;
  }
  say(*line);
}

}  // namespace numalab::cli
