// TEMPORARY (removed with ConsoleClassifier): the kernel report parser, which now decides the crash
// verdict, decides what ConsoleClassifier decided on every golden and on the unit tests' inputs:
// fatal or not (and at which line), a hung task or not, and the number of console lines.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "monitor/console_classifier.hpp"
#include "monitor/kernel_report.hpp"

namespace numalab::monitor {
namespace {

struct Decision {
  bool fatal = false;
  std::uint64_t fatal_line = 0;  // the first fatal report's line
  bool hung_task = false;
  std::uint64_t lines = 0;
  bool operator==(const Decision&) const = default;
};

std::ostream& operator<<(std::ostream& o, const Decision& d) {
  return o << "fatal=" << d.fatal << "@" << d.fatal_line << " hung=" << d.hung_task << " lines=" << d.lines;
}

// Fed in pieces of `chunk` bytes (0: at once), as a live console arrives.
std::vector<std::string_view> pieces(std::string_view text, std::size_t chunk) {
  if (chunk == 0) return {text};
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < text.size(); i += chunk) out.push_back(text.substr(i, chunk));
  return out;
}

Decision by_classifier(std::string_view text, std::size_t chunk) {
  ConsoleClassifier c;
  Decision d;
  for (auto piece : pieces(text, chunk))
    for (const auto& r : c.feed(piece)) {
      if (is_fatal(r.kind) && !d.fatal) {
        d.fatal = true;
        d.fatal_line = r.line_number;
      }
      d.hung_task |= r.kind == ReportKind::hung_task;
    }
  d.lines = c.lines();
  return d;
}

Decision by_parser(std::string_view text, std::size_t chunk) {
  KernelReportParser p;
  Decision d;
  for (auto piece : pieces(text, chunk))
    for (const auto& s : p.feed(piece))
      if (s.fatal && !d.fatal) {
        d.fatal = true;
        d.fatal_line = s.line_number;
      }
  d.lines = p.lines();  // as the run stage reads it: before the log ends
  p.finish();
  for (const auto& r : p.take()) d.hung_task |= r.kind == "hung-task";
  return d;
}

std::string golden(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::pair<std::string, std::string>> inputs() {
  std::vector<std::pair<std::string, std::string>> in;
  for (const auto& e : std::filesystem::directory_iterator(std::string(NUMALAB_GOLDEN_DIR) + "/console"))
    if (e.path().extension() == ".txt") in.emplace_back(e.path().filename().string(), golden(e.path()));
  std::sort(in.begin(), in.end());
  // console_classifier_test.cpp
  in.emplace_back("classifier: split panic",
                  "[    1.0] Kernel panic - not syncing: sysrq triggered crash\r\n");
  std::string flood(8 << 20, 'A');
  flood += "\n";
  for (int i = 0; i < 10000; ++i) flood += "WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x0/0x0\n";
  in.emplace_back("classifier: flood", flood);
  in.emplace_back("classifier: hung task prefix",
                  "the build blocked for more than a minute\n"
                  "[  120.1] INFO: task kswapd0:42 blocked for more than 120 seconds.\n");
  // kernel_report_test.cpp and kernel_report_trigger_test.cpp
  in.emplace_back(
      "report: hung task synthetic",
      "[  246.1] INFO: task kworker/u8:3:77 blocked for more than 120 seconds.\n"
      "[  246.1]       Not tainted 6.1.0 #1\n"
      "[  246.1] task:kworker/u8:3    state:D stack:0     pid:77    ppid:2      flags:0x00004000\n"
      "[  246.1] Call Trace:\n[  246.1]  <TASK>\n[  246.1]  __schedule+0x34d/0xa00\n"
      "[  246.1]  schedule+0x5a/0xd0\n[  246.1]  ? foo+0x1/0x2\n"
      "[  246.1]  __mutex_lock.constprop.0+0x1/0x2\n"
      "[  246.1]  cpuset_migrate_mm_workfn+0x22/0x40\n[  246.1]  </TASK>\n");
  in.emplace_back("report: one-line reports",
                  "[ 1.0] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [numalab-hog:201]\n"
                  "[ 1.0] RIP: 0010:clear_page_erms+0x7/0x10\n"
                  "[ 2.0] nfs: server 10.0.2.2 not responding, still trying\n"
                  "[ 3.0] Write-error on swap-device (254:0:123456)\n"
                  "[ 4.0] BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 31s!\n");
  in.emplace_back("report: huge line", "[ 1.0] Kernel panic - not syncing: " + std::string(10 << 20, 'x') +
                                           "\n[ 2.0] Kernel panic - not syncing: next\n");
  std::string frames =
      "[ 1.0] INFO: task x:1 blocked for more than 2 seconds.\n[ 1.0] Call Trace:\n[ 1.0]  <TASK>\n";
  for (int i = 0; i < 100000; ++i) frames += "[ 1.0]  f" + std::to_string(i) + "+0x1/0x2\n";
  in.emplace_back("report: many frames", frames + "[ 1.0]  </TASK>\n");
  std::string many;
  for (int i = 0; i < 100000; ++i) many += "[ 1.0] Write-error on swap-device (254:0:1)\n";
  in.emplace_back("report: many reports", many);
  std::string noise;
  for (int i = 0; i < 200000; ++i) noise += static_cast<char>((i * 7919) % 256);
  in.emplace_back("report: noise", noise + "\nCall Trace:\n <TASK>\n</TASK>\nWARNING: CPU: \nINFO: task :\n");
  in.emplace_back("report: busy-wait rip",
                  "[ 1.0] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [x:1]\n"
                  "[ 1.0] RIP: 0010:native_sched_clock+0x1/0x2\n[ 1.0] Call Trace:\n[ 1.0]  <TASK>\n"
                  "[ 1.0]  local_clock+0x1/0x2\n[ 1.0]  spin_here+0x1/0x2\n[ 1.0]  </TASK>\n");
  std::string run_in = golden(std::string(NUMALAB_GOLDEN_DIR) + "/console/oops-null-trigger.txt");
  run_in.insert(run_in.find("[    4.221347] BUG: kernel NULL pointer"),
                "numalab-agent: trigger: writing \"oops\" to /sys/kernel/debug/numalab_trig");
  in.emplace_back("report: oops run into user space output", run_in);
  return in;
}

TEST(ConsoleParsersAgree, OnEveryGoldenAndEveryUnitTestInput) {
  for (const auto& [name, text] : inputs()) {
    for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{4093}}) {
      if (chunk == 1 && text.size() > 1'000'000) continue;
      const Decision c = by_classifier(text, chunk), p = by_parser(text, chunk);
      if (chunk == 0) std::cout << "check: " << name << ": classifier " << c << " | parser " << p << "\n";
      EXPECT_EQ(c.fatal, p.fatal) << name;
      EXPECT_EQ(c.hung_task, p.hung_task) << name;
      EXPECT_EQ(c.lines, p.lines) << name;
      // The parser may know a crash earlier (its Oops starts at "BUG: kernel NULL pointer
      // dereference", the classifier's at the "Oops:" line after it), never later.
      if (c.fatal && p.fatal) {
        EXPECT_LE(p.fatal_line, c.fatal_line) << name;
      }
    }
  }
}

// Where they differ on purpose: the parser reads a kernel line from its start (after the printk
// stamp, wherever user space's output ran into it), the classifier anywhere in it.
TEST(ConsoleParsersAgree, DifferOnlyWhereTheClassifierReadMidLine) {
  const struct {
    const char* name;
    const char* text;
    bool classifier_fatal, parser_fatal;
  } cases[] = {
      // A user-space process's fault, which the kernel reports in one line: not a kernel crash.
      {"user-space gpf",
       "[   12.5] traps: numalab-work[97] general protection fault ip:7f00 sp:7ffd error:0 in libc.so.6\n",
       true, false},
      // The end of a panic report names the panic again: the panic began at its own first line.
      {"end of panic", "[    3.4] ---[ end Kernel panic - not syncing: sysrq triggered crash ]---\n", true,
       false},
      // No printk stamp at all (a kernel without CONFIG_PRINTK_TIME) and user space ran into it.
      {"no stamp, run-in", "numalab-agent: wriOops: 0002 [#1] SMP\n", true, false},
  };
  for (const auto& c : cases) {
    const Decision a = by_classifier(c.text, 0), b = by_parser(c.text, 0);
    std::cout << "check: " << c.name << ": classifier " << a << " | parser " << b << "\n";
    EXPECT_EQ(a.fatal, c.classifier_fatal) << c.name;
    EXPECT_EQ(b.fatal, c.parser_fatal) << c.name;
  }
}

}  // namespace
}  // namespace numalab::monitor
