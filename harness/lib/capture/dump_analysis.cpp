// The dump's analysis: harness/analysis/hang_report.py (python3-drgn) reads vmcore with vmlinux and
// writes hang-report.txt (the tasks in uninterruptible sleep, their stacks, the locks they wait
// for and their owners, a cycle of waiters as the deadlock). A child process with a deadline.

#include <cstdlib>
#include <fstream>

#include "capture/capture_steps.hpp"
#include "util/child_process.hpp"

namespace numalab::capture {

namespace {

std::string last_line(const std::filesystem::path& log) {
  std::ifstream in(log);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last.substr(0, 500);
}

}  // namespace

std::filesystem::path hang_report_script() {
  if (const char* s = std::getenv("NUMALAB_HANG_REPORT_SCRIPT"); s && *s) return s;
  return std::filesystem::path(NUMALAB_DATA_DIR) / "harness" / "analysis" / "hang_report.py";
}

StepResult analyse_dump(StepContext& c) {
  const auto script = c.options.analysis_script.empty() ? hang_report_script() : c.options.analysis_script;
  if (!std::filesystem::exists(script))
    return StepResult::failed("the analysis script " + script.string() + " is missing");
  // The guest has nothing more to say that the dump does not hold; pausing it gives drgn the CPU.
  (void)c.qmp.execute("stop", nlohmann::json::object(), util::Deadline::after(c.options.qmp_step));
  const auto& dir = c.target.dir;
  const auto log = dir / "hang-report.log";
  util::ChildOptions opts;
  opts.stdout_path = log;
  opts.stderr_path = log;
  auto child = util::ChildProcess::spawn(
      {c.options.python.string(), script.string(), "--vmcore", (dir / k_vmcore).string(), "--vmlinux",
       (dir / k_vmlinux).string(), "--out", (dir / k_hang_report).string()},
      opts);
  if (!child) return StepResult::failed(child.error().message);
  const auto deadline = util::Deadline::after(c.options.analysis_limit);
  auto status = child->wait_until(util::Deadline::after(std::chrono::milliseconds(0)));
  while (!status && !deadline.expired() && !c.io.cancelled())
    status = child->wait_until(
        util::Deadline::earliest(deadline, util::Deadline::after(std::chrono::milliseconds(250))));
  if (!status && c.io.cancelled()) {
    child->stop();
    return StepResult::failed("numalab was interrupted");
  }
  if (!status) {
    child->stop();
    return StepResult::failed("the analysis did not finish within " +
                              std::to_string(c.options.analysis_limit.count() / 1000) + " s (" +
                              log.string() + ")");
  }
  if (status->exit_code != 0)
    return StepResult::failed("the analysis failed (" + status->to_string() + "): " + last_line(log));
  return StepResult::ok(std::string(k_hang_report) + ": " + last_line(log));
}

}  // namespace numalab::capture
