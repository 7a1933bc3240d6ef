#pragma once
// The one reader of what a guest kernel prints on its console. It turns the console into classified
// reports (panic, Oops, hung task, RCU stall, OOM kill, WARNING, lockdep, ...), each with a title
// normalised so the same bug gets the same title in every run (no addresses, PIDs, CPU numbers or
// seconds; functions without offsets), and counts the console's lines.
//
// A report is known twice: feed() returns its start as soon as its first line arrives (its kind and
// whether it is fatal, for a crash verdict that must not wait: a panicking kernel may never print
// the rest), and take() returns it finished, with its title, task, CPU and stack.
//
// The parser is incremental because the console log grows while a guest runs and is untrusted:
// it keeps one partial line (cut at k_max_line), one open report (at most k_max_frames frames) and
// at most k_max_reports finished reports not yet taken, so its memory does not depend on what the
// guest prints. Any bytes are accepted; nothing throws. parse_kernel_reports() is the same thing
// over a whole log.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numalab::monitor {

struct KernelReport {
  std::string kind;        // "hung-task", "rcu-stall", "oom-kill", "warning", "lockdep-circular", ...
  std::string title;       // e.g. "RCU stall in get_page_from_freelist"
  std::string first_line;  // the line that starts the report, without the printk timestamp
  std::string task;        // the task the report is about ("" when the kernel does not say)
  int pid = -1;
  int cpu = -1;
  std::vector<std::string> stack;  // reliable "Call Trace:" frames, function names without offsets
  std::uint64_t line_number = 0;   // 1-based line of first_line in the console log
};

// The kinds after which the kernel cannot go on (verdict crash), by the name the kernel gives them:
// "panic", "Oops" (also what starts with "BUG: kernel NULL pointer dereference" or "BUG: unable to
// handle"), "BUG" ("kernel BUG at"), "general protection fault"; "" for every other kind.
std::string_view crash_name(std::string_view kind);
bool is_fatal(std::string_view kind);

// A report whose first line has just arrived; its KernelReport follows from take() once it ends.
struct ReportStart {
  std::string kind;               // as KernelReport::kind
  bool fatal = false;             // is_fatal(kind)
  std::string first_line;         // as KernelReport::first_line
  std::uint64_t line_number = 0;  // as KernelReport::line_number
};

class KernelReportParser {
 public:
  static constexpr std::size_t k_max_line = 4096;
  static constexpr std::size_t k_max_frames = 64;
  static constexpr std::size_t k_max_reports = 256;

  // Feeds raw console bytes, split anywhere; returns the reports whose first line is among the
  // complete lines of these bytes (at most one per line), oldest first.
  std::vector<ReportStart> feed(std::string_view bytes);
  // The log ended: the partial last line and the open report are finished. Returns the report the
  // partial last line starts, if it starts one.
  std::vector<ReportStart> finish();
  // Finished reports since the last take(), oldest first.
  std::vector<KernelReport> take();
  // Reports lost because k_max_reports were waiting to be taken.
  std::uint64_t dropped() const { return dropped_; }
  // Console lines seen (the partial last line too, after finish()).
  std::uint64_t lines() const { return lines_; }

 private:
  struct Open {
    KernelReport report;
    std::string detail;  // what the title needs from the first line (panic message, order, ...)
    std::string rip;     // the function in the first kernel-mode "RIP:" line
    bool timestamped = false;
    bool in_stack = false;
    bool in_block = false;  // between "<TASK>"/"<IRQ>" and its closing marker
    int context_lines = 0;  // lines seen outside frames, to end reports that have no stack
  };

  void end_line();
  void process(std::string_view raw);
  bool consume(Open& open, std::string_view line);  // false: the line ends the report
  void close();

  std::string partial_;
  bool cutting_ = false;  // dropping the rest of a line longer than k_max_line
  std::uint64_t lines_ = 0;
  std::optional<Open> open_;
  bool oom_victim_pending_ = false;  // an "invoked oom-killer" report waits for its victim line
  std::vector<ReportStart> starts_;  // since the last feed() or finish() began
  std::vector<KernelReport> done_;
  std::uint64_t dropped_ = 0;
};

std::vector<KernelReport> parse_kernel_reports(std::string_view log);

}  // namespace numalab::monitor
