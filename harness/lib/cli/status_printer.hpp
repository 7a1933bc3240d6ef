#pragma once
// The command line's StatusSink: what numalab says on stderr while it works. On a terminal a kernel
// build's progress and a compare's current run redraw one line; in CI logs and pipes every event
// that matters is a plain line of its own (a build's progress every 30 s, a compare's runs as they
// start and end). A repro's runs are its result and go to stdout.

#include <chrono>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>

#include "run/status.hpp"

namespace numalab::cli {

class StatusPrinter final : public run::StatusSink {
 public:
  StatusPrinter(std::ostream& out, std::ostream& err, bool terminal)
      : out_(out), err_(err), terminal_(terminal) {}
  ~StatusPrinter() override { end_line(); }
  void on(const run::StatusEvent& event) override;
  // Ends a redrawn line, so that what follows starts on a line of its own.
  void end_line();

 private:
  void build_progress(const kernel::KernelBuildProgress& p);
  void compare_line(const run::CompareRun& p, const std::string& activity, bool keep);
  void say(const std::string& line);

  std::ostream& out_;
  std::ostream& err_;
  bool terminal_;
  bool line_open_ = false;                       // a redrawn line is on the screen
  std::map<int, run::CompareRun> compare_runs_;  // the compare's runs under way, by seq
  std::chrono::steady_clock::time_point last_build_line_{};
};

// The line an event is said as, without indentation; nullopt for events with no line of their own.
std::optional<std::string> status_line(const run::StatusEvent& event);

}  // namespace numalab::cli
