#include "monitor/kernel_report.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace numalab::monitor {
namespace {

std::string golden(const std::string& name) {
  std::ifstream in(std::string(NUMALAB_GOLDEN_DIR) + "/console/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<KernelReport> parse_golden(const std::string& name) {
  const std::string text = golden(name);
  EXPECT_FALSE(text.empty()) << name << " is missing";
  return parse_kernel_reports(text);
}

std::vector<std::string> first_frames(const KernelReport& r, std::size_t n) {
  return {r.stack.begin(), r.stack.begin() + static_cast<std::ptrdiff_t>(std::min(n, r.stack.size()))};
}

bool same(const KernelReport& a, const KernelReport& b) {
  return a.kind == b.kind && a.title == b.title && a.first_line == b.first_line && a.task == b.task &&
         a.pid == b.pid && a.cpu == b.cpu && a.stack == b.stack && a.line_number == b.line_number;
}

// Adds one to every digit of every decimal number (timestamps, PIDs, CPUs, seconds), leaving
// hexadecimal values and names such as do_syscall_64 or foo.constprop.0 alone: what another run prints.
// The allocation order stays too: order:0 and order:3 failures are different reports.
std::string renumber(const std::string& text) {
  std::string out = text;
  const auto symbol = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  };
  for (std::size_t i = 0; i < out.size();) {
    if (!std::isdigit(static_cast<unsigned char>(out[i])) || (i > 0 && symbol(out[i - 1])) ||
        (i >= 6 && out.compare(i - 6, 6, "order:") == 0)) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < out.size() && std::isdigit(static_cast<unsigned char>(out[end]))) ++end;
    if (end < out.size() && std::isalpha(static_cast<unsigned char>(out[end]))) {  // 0x.., 3d..: hex
      i = end;
      continue;
    }
    for (std::size_t k = i; k < end; ++k) out[k] = static_cast<char>('0' + (out[k] - '0' + 1) % 10);
    i = end;
  }
  return out;
}

TEST(KernelReportGolden, RcuStallFromTheNuma4CpusetChurnHang) {
  const auto r = parse_golden("rcu-stall-numa4-cpuset-churn.txt");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, "rcu-stall");
  EXPECT_EQ(r[0].title, "RCU stall in get_page_from_freelist");
  EXPECT_EQ(r[0].first_line, "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:");
  EXPECT_EQ(r[0].line_number, 5u);
  EXPECT_EQ(r[0].task, "numalab-hog");
  EXPECT_EQ(r[0].pid, 197);
  EXPECT_EQ(r[0].cpu, 3);
  EXPECT_EQ(first_frames(r[0], 4), (std::vector<std::string>{"__alloc_pages", "__get_free_pages",
                                                             "__tlb_remove_page_size", "unmap_page_range"}));
  EXPECT_EQ(r[0].stack.back(),
            "entry_SYSCALL_64_after_hwframe");  // "? exit_to_user_mode_prepare" is left out
  EXPECT_EQ(r[0].stack.size(), 12u);
}

TEST(KernelReportGolden, PageAllocationFailureAndOomKillFromCpusetChurn) {
  const auto r = parse_golden("page-alloc-failure-oom-h3-churn-0001.txt");
  ASSERT_EQ(r.size(), 2u);  // the "Out of memory: Killed process" line belongs to the oom-kill report
  EXPECT_EQ(r[0].kind, "page-alloc-failure");
  EXPECT_EQ(r[0].title, "page allocation failure: order:0 in alloc_migration_target");
  EXPECT_EQ(r[0].task, "kworker/u8:0");
  EXPECT_EQ(r[0].pid, 10);
  EXPECT_EQ(r[0].cpu, 3);
  EXPECT_EQ(first_frames(r[0], 3),
            (std::vector<std::string>{"dump_stack_lvl", "warn_alloc", "__alloc_pages_slowpath.constprop.0"}));
  EXPECT_EQ(r[1].kind, "oom-kill");
  EXPECT_EQ(r[1].title, "OOM kill in wp_page_copy");
  EXPECT_EQ(r[1].task, "numalab-brief");
  EXPECT_EQ(r[1].pid, 135);
  EXPECT_EQ(r[1].cpu, 1);
  EXPECT_EQ(first_frames(r[1], 3),
            (std::vector<std::string>{"dump_stack_lvl", "dump_header", "oom_kill_process.cold"}));
}

TEST(KernelReportGolden, TwoRunsOfTheSameBugGetTheSameTitles) {
  const auto a = parse_golden("page-alloc-failure-oom-h3-churn-0001.txt");
  const auto b = parse_golden("page-alloc-failure-oom-h3-churn-0002.txt");
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].title, b[i].title);
  EXPECT_NE(a[1].pid, b[1].pid);  // the runs really differ
  EXPECT_NE(a[0].cpu, b[0].cpu);
}

TEST(KernelReportGolden, WarningAtBootOnTwoLabs) {
  const auto numa2 = parse_golden("warning-topology-sane-numa2-boot.txt");
  ASSERT_EQ(numa2.size(), 1u);
  EXPECT_EQ(numa2[0].kind, "warning");
  EXPECT_EQ(numa2[0].title, "WARNING in topology_sane");
  EXPECT_EQ(numa2[0].task, "swapper/2");
  EXPECT_EQ(numa2[0].pid, 0);
  EXPECT_EQ(numa2[0].cpu, 2);
  EXPECT_EQ(numa2[0].stack, (std::vector<std::string>{"set_cpu_sibling_map", "start_secondary",
                                                      "secondary_startup_64_no_verify"}));
  const auto panic_log = parse_golden("sysrq-c-panic-debian-6.1.txt");
  ASSERT_FALSE(panic_log.empty());
  EXPECT_EQ(panic_log[0].title, numa2[0].title);
  EXPECT_EQ(panic_log[0].cpu, 1);
}

TEST(KernelReportGolden, PanicFromSysrqC) {
  const auto r = parse_golden("sysrq-c-panic-debian-6.1.txt");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].kind, "panic");
  EXPECT_EQ(r[1].title, "kernel panic: sysrq triggered crash");
  EXPECT_EQ(r[1].task, "init");
  EXPECT_EQ(r[1].pid, 1);
  EXPECT_EQ(r[1].cpu, 0);
  EXPECT_EQ(first_frames(r[1], 3),
            (std::vector<std::string>{"dump_stack_lvl", "panic", "sysrq_handle_crash"}));
}

TEST(KernelReportGolden, ACleanBootHasNoReports) {
  EXPECT_TRUE(parse_golden("boot-debian-6.1.txt").empty());
  KernelReportParser p;
  const auto s = p.feed(golden("boot-debian-6.1.txt"));
  EXPECT_TRUE(s.empty()) << s.front().first_line;
  EXPECT_GT(p.lines(), 100u);
}

TEST(KernelReportTitle, RenumberedLogsKeepTheirTitles) {
  for (const char* name : {"rcu-stall-numa4-cpuset-churn.txt", "page-alloc-failure-oom-h3-churn-0001.txt",
                           "sysrq-c-panic-debian-6.1.txt"}) {
    const std::string text = golden(name);
    const auto a = parse_kernel_reports(text);
    const auto b = parse_kernel_reports(renumber(text));
    ASSERT_EQ(a.size(), b.size()) << name;
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].title, b[i].title) << name;
      EXPECT_EQ(a[i].stack, b[i].stack) << name;
      if (a[i].pid > 0) {
        EXPECT_NE(a[i].pid, b[i].pid) << name;
      }
    }
  }
}

// Synthetic: no guest in this lab has printed these yet. The lines follow Linux 6.1's formats.
TEST(KernelReportSynthetic, HungTaskTakesTheFirstFrameOutsideTheScheduler) {
  const auto r = parse_kernel_reports(
      "[  246.1] INFO: task kworker/u8:3:77 blocked for more than 120 seconds.\n"
      "[  246.1]       Not tainted 6.1.0 #1\n"
      "[  246.1] task:kworker/u8:3    state:D stack:0     pid:77    ppid:2      flags:0x00004000\n"
      "[  246.1] Call Trace:\n[  246.1]  <TASK>\n[  246.1]  __schedule+0x34d/0xa00\n"
      "[  246.1]  schedule+0x5a/0xd0\n[  246.1]  ? foo+0x1/0x2\n[  246.1]  __mutex_lock.constprop.0+0x1/0x2\n"
      "[  246.1]  cpuset_migrate_mm_workfn+0x22/0x40\n[  246.1]  </TASK>\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, "hung-task");
  EXPECT_EQ(r[0].title, "INFO: task hung in cpuset_migrate_mm_workfn");
  EXPECT_EQ(r[0].task, "kworker/u8:3");
  EXPECT_EQ(r[0].pid, 77);
}

TEST(KernelReportSynthetic, OneLineReportsAndLockups) {
  const auto r = parse_kernel_reports(
      "[ 1.0] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [numalab-hog:201]\n"
      "[ 1.0] RIP: 0010:clear_page_erms+0x7/0x10\n"
      "[ 2.0] nfs: server 10.0.2.2 not responding, still trying\n"
      "[ 3.0] Write-error on swap-device (254:0:123456)\n"
      "[ 4.0] BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 31s!\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].title, "BUG: soft lockup in clear_page_erms");
  EXPECT_EQ(r[0].task, "numalab-hog");
  EXPECT_EQ(r[0].pid, 201);
  EXPECT_EQ(r[0].cpu, 1);
  EXPECT_EQ(r[1].title, "nfs: server N.N.N.N not responding");
  EXPECT_EQ(r[2].kind, "swap-write-error");
  EXPECT_EQ(r[2].title, "Write-error on swap-device");
  EXPECT_EQ(r[3].kind, "workqueue-lockup");
}

TEST(KernelReportStream, BytesSplitAtEveryPositionGiveTheSameReports) {
  const std::string text = golden("rcu-stall-numa4-cpuset-churn.txt");
  const auto whole = parse_kernel_reports(text);
  ASSERT_EQ(whole.size(), 1u);
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    KernelReportParser p;
    p.feed(std::string_view(text).substr(0, cut));
    p.feed(std::string_view(text).substr(cut));
    p.finish();
    const auto parts = p.take();
    ASSERT_EQ(parts.size(), 1u) << cut;
    ASSERT_TRUE(same(parts[0], whole[0])) << cut;
  }
}

// What a crash verdict needs comes at a report's first line, before the rest of it (which a
// panicking kernel may never print); the finished report follows from take().
TEST(KernelReportStart, AFatalReportIsKnownAtItsFirstLine) {
  KernelReportParser p;
  EXPECT_TRUE(p.feed("[    4.2] BUG: kernel NULL pointer dereference, addr").empty());
  const auto s = p.feed("ess: 0000000000000000\n[    4.2] #PF: supervisor write access in kernel mode\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].kind, "oops");
  EXPECT_TRUE(s[0].fatal);
  EXPECT_EQ(s[0].first_line, "BUG: kernel NULL pointer dereference, address: 0000000000000000");
  EXPECT_EQ(s[0].line_number, 1u);
  EXPECT_TRUE(p.take().empty());  // the report is still open
  EXPECT_TRUE(p.feed("[    4.2] Oops: 0002 [#1] SMP\n").empty()) << "part of the report the BUG line began";
  EXPECT_TRUE(p.finish().empty());
  const auto r = p.take();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].first_line, s[0].first_line);
  EXPECT_EQ(p.lines(), 3u);
}

TEST(KernelReportStart, OnlyPanicOopsBugAndGeneralProtectionFaultAreFatal) {
  const auto s = KernelReportParser().feed(
      "[ 1.0] Kernel panic - not syncing: sysrq triggered crash\n"
      "[ 1.0] kernel BUG at mm/slub.c:435!\n"
      "[ 1.0] BUG: unable to handle page fault for address: ffffc90000a3f000\n"
      "[ 1.0] general protection fault, probably for non-canonical address 0xdead000000000000: 0000 [#1] "
      "SMP\n"
      "[ 1.0] INFO: task kswapd0:42 blocked for more than 120 seconds.\n"
      "[ 1.0] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [numalab-hog:201]\n"
      "[ 1.0] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:\n"
      "[ 1.0] WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x0/0x0\n"
      "[ 1.0] BUG: scheduling while atomic: numalab-trigger/63/0x00000002\n");
  std::vector<std::pair<std::string, bool>> got;
  for (const auto& r : s) got.emplace_back(r.kind, r.fatal);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, bool>>{{"panic", true},
                                                            {"kernel-bug", true},
                                                            {"oops", true},
                                                            {"gpf", true},
                                                            {"hung-task", false},
                                                            {"soft-lockup", false},
                                                            {"rcu-stall", false},
                                                            {"warning", false},
                                                            {"sleep-in-atomic", false}}));
  EXPECT_EQ(crash_name("panic"), "panic");
  EXPECT_EQ(crash_name("oops"), "Oops");
  EXPECT_EQ(crash_name("kernel-bug"), "BUG");
  EXPECT_EQ(crash_name("gpf"), "general protection fault");
  EXPECT_EQ(crash_name("hung-task"), "");
}

// The end of a panic names the panic again; it ends the report the panic line began.
TEST(KernelReportStart, TheEndOfAPanicIsNotAnotherPanic) {
  KernelReportParser p;
  const auto s = p.feed(
      "[ 3.3] Kernel panic - not syncing: sysrq triggered crash\n"
      "[ 3.3] CPU: 0 PID: 1 Comm: init Not tainted 6.1.0-18-amd64 #1  Debian 6.1.76-1\n"
      "[ 3.4] ---[ end Kernel panic - not syncing: sysrq triggered crash ]---\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].line_number, 1u);
  const auto r = p.take();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].title, "kernel panic: sysrq triggered crash");
  EXPECT_EQ(r[0].task, "init");
}

// A report's first line cut short still starts it: a panic line without its message, a soft lockup
// without its CPU.
TEST(KernelReportStart, APanicCutShortAndASoftLockupWithoutItsCpu) {
  const auto s =
      KernelReportParser().feed("[ 1.0] Kernel panic - not syncing\n[ 2.0] watchdog: BUG: soft lockup!\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].kind, "panic");
  EXPECT_TRUE(s[0].fatal);
  EXPECT_EQ(s[1].kind, "soft-lockup");
  EXPECT_FALSE(s[1].fatal);
}

// A user-space process's fault, which the kernel reports in one line, is not a kernel crash.
TEST(KernelReportStart, AUserSpaceGeneralProtectionFaultIsNotAReport) {
  EXPECT_TRUE(KernelReportParser()
                  .feed("[ 12.5] traps: numalab-work[97] general protection fault ip:7f00 sp:7ffd error:0 in "
                        "libc.so.6[7f00+155000]\n")
                  .empty());
}

TEST(KernelReportStart, FindsThePanicASysrqCrashPrints) {
  const std::string text = golden("sysrq-c-panic-debian-6.1.txt");
  ASSERT_FALSE(text.empty()) << "golden file missing";
  bool panic = false;
  for (const auto& s : KernelReportParser().feed(text)) panic |= s.kind == "panic" && s.fatal;
  EXPECT_TRUE(panic);
}

TEST(KernelReportStart, LinesSplitAcrossFeedsAreJoined) {
  KernelReportParser p;
  EXPECT_TRUE(p.feed("[    1.0] Kernel pa").empty());
  const auto s = p.feed("nic - not syncing: sysrq triggered crash\r\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].kind, "panic");
  EXPECT_EQ(s[0].first_line, "Kernel panic - not syncing: sysrq triggered crash");  // the stamp and \r go
}

TEST(KernelReportStart, HungTaskNeedsItsPrefix) {
  KernelReportParser p;
  EXPECT_TRUE(p.feed("the build blocked for more than a minute\n").empty());
  const auto s = p.feed("[  120.1] INFO: task kswapd0:42 blocked for more than 120 seconds.\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].kind, "hung-task");
  EXPECT_FALSE(s[0].fatal);
}

TEST(KernelReportStart, APartialLastLineStartsItsReportAtFinish) {
  KernelReportParser p;
  EXPECT_TRUE(p.feed("[ 1.0] Kernel panic - not syncing: x").empty());
  const auto s = p.finish();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].kind, "panic");
  EXPECT_EQ(p.take().size(), 1u);
}

TEST(KernelReportBounds, AHugeLineIsCut) {
  KernelReportParser p;
  p.feed("[ 1.0] Kernel panic - not syncing: ");
  const std::string chunk(1 << 20, 'x');
  for (int i = 0; i < 10; ++i) p.feed(chunk);  // a 10 MB line
  p.feed("\n[ 2.0] Kernel panic - not syncing: next\n");
  p.finish();
  const auto r = p.take();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_LE(r[0].first_line.size(), KernelReportParser::k_max_line);
  EXPECT_LE(r[0].title.size(), KernelReportParser::k_max_line + 32);
  EXPECT_EQ(r[1].title, "kernel panic: next");
  EXPECT_EQ(p.lines(), 2u);
}

TEST(KernelReportBounds, MemoryStaysBoundedWhateverTheGuestPrints) {
  KernelReportParser p;
  const std::string flood(1 << 20, 'A');  // a megabyte without a newline
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(p.feed(flood).empty());
  EXPECT_TRUE(p.feed("\n").empty());
  for (int i = 0; i < 10000; ++i) p.feed("WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x0/0x0\n");
  EXPECT_EQ(p.take().size(), KernelReportParser::k_max_reports);
}

TEST(KernelReportBounds, AHundredThousandFramesKeepTheFirstOnes) {
  KernelReportParser p;
  p.feed("[ 1.0] INFO: task x:1 blocked for more than 2 seconds.\n[ 1.0] Call Trace:\n[ 1.0]  <TASK>\n");
  for (int i = 0; i < 100000; ++i) p.feed("[ 1.0]  f" + std::to_string(i) + "+0x1/0x2\n");
  p.feed("[ 1.0]  </TASK>\n");
  const auto r = p.take();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].stack.size(), KernelReportParser::k_max_frames);
  EXPECT_EQ(r[0].stack.front(), "f0");
}

TEST(KernelReportBounds, AHundredThousandReportsKeepAtMostTheLimit) {
  KernelReportParser p;
  for (int i = 0; i < 100000; ++i) p.feed("[ 1.0] Write-error on swap-device (254:0:1)\n");
  p.finish();
  EXPECT_EQ(p.take().size(), KernelReportParser::k_max_reports);
  EXPECT_EQ(p.dropped(), 100000u - KernelReportParser::k_max_reports);
  p.feed("[ 1.0] Write-error on swap-device (254:0:1)\n");
  EXPECT_EQ(p.take().size(), 1u);  // taking makes room again
}

TEST(KernelReportBounds, ArbitraryBytesDoNotCrash) {
  std::string noise;
  for (int i = 0; i < 200000; ++i) noise += static_cast<char>((i * 7919) % 256);
  noise += "\nCall Trace:\n <TASK>\n</TASK>\nWARNING: CPU: \nINFO: task :\n";
  KernelReportParser p;
  p.feed(noise);
  p.finish();
  for (const auto& r : p.take()) EXPECT_LE(r.first_line.size(), KernelReportParser::k_max_line);
}

}  // namespace
}  // namespace numalab::monitor
