// Kernel reports that patches/test-deadlock-trigger made real lab kernels print (the goldens'
// first lines say which run and lab). harness/tests/golden/console/README.md lists the kinds that
// have no real text yet.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "monitor/kernel_report.hpp"

namespace numalab::monitor {
namespace {

std::string golden_text(const std::string& name) {
  std::ifstream in(std::string(NUMALAB_GOLDEN_DIR) + "/console/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << name << " is missing";
  return ss.str();
}

std::vector<KernelReport> parse_golden(const std::string& name) {
  return parse_kernel_reports(golden_text(name));
}

using Frames = std::vector<std::string>;

const Frames k_write_syscall = {"trigger_write", "full_proxy_write", "vfs_write",
                                "ksys_write",    "do_syscall_64",    "entry_SYSCALL_64_after_hwframe"};

TEST(KernelReportTrigger, HungTaskOfADeadlockedWriter) {
  const auto r = parse_golden("hung-task-deadlock-self-0001.txt");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, "hung-task");
  EXPECT_EQ(r[0].title, "INFO: task hung in deadlock_self");
  EXPECT_EQ(r[0].first_line, "INFO: task numalab-trigger:60 blocked for more than 10 seconds.");
  EXPECT_EQ(r[0].task, "numalab-trigger");
  EXPECT_EQ(r[0].pid, 60);
  EXPECT_EQ(r[0].cpu, -1);  // the hung-task report does not say
  Frames stack = {"__schedule", "schedule", "schedule_preempt_disabled", "__mutex_lock.constprop.0",
                  "deadlock_self"};
  stack.insert(stack.end(), k_write_syscall.begin(), k_write_syscall.end());
  EXPECT_EQ(r[0].stack, stack);  // "? full_proxy_poll" and the user-space RIP are left out
}

TEST(KernelReportTrigger, HungTasksOfAnAbbaDeadlock) {
  const auto r = parse_golden("hung-task-deadlock-abba.txt");
  ASSERT_EQ(r.size(), 2u);
  const Frames stack = {
      "__schedule", "schedule",     "schedule_preempt_disabled", "__mutex_lock.constprop.0", "abba_thread",
      "kthread",    "ret_from_fork"};
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(r[i].kind, "hung-task");
    EXPECT_EQ(r[i].title, "INFO: task hung in abba_thread");  // both threads dedup into one bug
    EXPECT_EQ(r[i].stack, stack);
  }
  EXPECT_EQ(r[0].task, "numalab-abba-a");
  EXPECT_EQ(r[0].pid, 60);
  EXPECT_EQ(r[1].task, "numalab-abba-b");
  EXPECT_EQ(r[1].pid, 61);
}

TEST(KernelReportTrigger, NullPointerOops) {
  const auto r = parse_golden("oops-null-trigger.txt");
  ASSERT_EQ(r.size(), 1u);  // "Oops: 0002 [#1] SMP" belongs to the report the BUG line opened
  EXPECT_EQ(r[0].kind, "oops");
  EXPECT_EQ(r[0].title, "BUG: kernel NULL pointer dereference in oops");  // from "RIP: 0010:oops+0x7/0x10"
  EXPECT_EQ(r[0].first_line, "BUG: kernel NULL pointer dereference, address: 0000000000000000");
  EXPECT_EQ(r[0].task, "numalab-trigger");
  EXPECT_EQ(r[0].pid, 59);
  EXPECT_EQ(r[0].cpu, 2);
  EXPECT_EQ(r[0].stack, k_write_syscall);
}

// The agent says which task writes the trigger while that task is already in the kernel: on a
// serial console the agent's line can be cut by the kernel's, and the BUG line then starts in the
// middle of a console line. Its report is the same as when the lines come whole.
TEST(KernelReportTrigger, AnOopsWhoseFirstLineRanIntoUserSpaceOutput) {
  std::string text = golden_text("oops-null-trigger.txt");
  const auto bug = text.find("[    4.221347] BUG: kernel NULL pointer");
  ASSERT_NE(bug, std::string::npos);
  text.insert(bug, "numalab-agent: trigger: writing \"oops\" to /sys/kernel/debug/numalab_trig");
  const auto r = parse_kernel_reports(text);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].title, "BUG: kernel NULL pointer dereference in oops");
  EXPECT_EQ(r[0].first_line, "BUG: kernel NULL pointer dereference, address: 0000000000000000");
  EXPECT_EQ(r[0].task, "numalab-trigger");
  EXPECT_EQ(r[0].stack, k_write_syscall);
  // A bracketed number in user space's own output is not a kernel stamp.
  EXPECT_TRUE(
      parse_kernel_reports("progress [12.5] BUG: kernel NULL pointer dereference, address: 0\n").empty());
}

// A swap-over-NFS client on the first version of patches/swap-nfs-no-memalloc (its swap socket not
// tagged for the memory reserves at all) under memory exhaustion: the RPC transport cannot allocate the
// WRITE's send buffer, and the swap writes that fail say so one line each. The run recovered (those pages are
// written again).
TEST(KernelReportTrigger, SwapOverNfsWriteErrorsOfTheNoMemallocClient) {
  const auto r = parse_golden("swap-write-error-nomemalloc.txt");
  ASSERT_GE(r.size(), 7u);
  EXPECT_EQ(r[0].kind, "page-alloc-failure");
  EXPECT_EQ(r[0].title, "page allocation failure: order:0 in skb_page_frag_refill");
  EXPECT_EQ(r[0].task, "kworker/u5:0");
  ASSERT_GE(r[0].stack.size(), 13u);
  EXPECT_EQ(r[0].stack[12], "xprt_transmit");
  std::size_t write_errors = 0;
  for (const auto& report : r)
    if (report.kind == "swap-write-error") {
      ++write_errors;
      EXPECT_EQ(report.title, "Write error on dio swapfile") << report.first_line;
    }
  EXPECT_EQ(write_errors, 6u);
  EXPECT_EQ(r[1].first_line, "Write error 0 on dio swapfile (36081664)");
}

TEST(KernelReportTrigger, KernelBug) {
  const auto r = parse_golden("kernel-bug-trigger.txt");
  ASSERT_EQ(r.size(), 1u);  // "invalid opcode: 0000 [#1] SMP" is part of it
  EXPECT_EQ(r[0].kind, "kernel-bug");
  EXPECT_EQ(r[0].title, "kernel BUG in bug");  // the function is called bug
  EXPECT_EQ(r[0].first_line, "kernel BUG at ../src/lib/numalab_trigger.c:98!");
  EXPECT_EQ(r[0].task, "numalab-trigger");
  EXPECT_EQ(r[0].pid, 59);
  EXPECT_EQ(r[0].cpu, 3);
  EXPECT_EQ(r[0].stack, k_write_syscall);
}

TEST(KernelReportTrigger, GeneralProtectionFault) {
  const auto r = parse_golden("gpf-trigger.txt");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, "gpf");
  EXPECT_EQ(r[0].title, "general protection fault in gpf");
  EXPECT_TRUE(
      r[0].first_line.starts_with("general protection fault, probably for non-canonical address "
                                  "0xdead000000000000"));
  EXPECT_EQ(r[0].task, "numalab-trigger");
  EXPECT_EQ(r[0].pid, 60);
  EXPECT_EQ(r[0].cpu, 3);
  EXPECT_EQ(r[0].stack, k_write_syscall);
}

// A CPU spinning with preemption off: the soft lockup, the RCU stall it causes 8 s later, and a
// kernel thread that waits for work on that CPU. The spinning CPU's RIP is in delay_tsc (mdelay),
// a busy-wait primitive: the titles name the function that spins instead.
TEST(KernelReportTrigger, SoftLockupAndWhatFollows) {
  const auto r = parse_golden("soft-lockup-rcu-stall-trigger.txt");
  ASSERT_EQ(r.size(), 3u);
  Frames stack = {"soft_lockup"};
  stack.insert(stack.end(), k_write_syscall.begin(), k_write_syscall.end());
  EXPECT_EQ(r[0].kind, "soft-lockup");
  EXPECT_EQ(r[0].title, "BUG: soft lockup in soft_lockup");
  EXPECT_EQ(r[0].first_line, "watchdog: BUG: soft lockup - CPU#2 stuck for 13s! [numalab-trigger:59]");
  EXPECT_EQ(r[0].task, "numalab-trigger");
  EXPECT_EQ(r[0].pid, 59);
  EXPECT_EQ(r[0].cpu, 2);
  EXPECT_EQ(r[0].stack, stack);
  EXPECT_EQ(r[1].kind, "rcu-stall");
  EXPECT_EQ(r[1].title, "RCU stall in soft_lockup");
  EXPECT_EQ(r[1].first_line, "rcu: INFO: rcu_sched detected stalls on CPUs/tasks:");
  EXPECT_EQ(r[1].task, "numalab-trigger");
  EXPECT_EQ(r[1].cpu, 2);
  EXPECT_EQ(r[1].stack, stack);
  EXPECT_EQ(r[2].kind, "hung-task");
  EXPECT_EQ(r[2].title, "INFO: task hung in __lru_add_drain_all");
  EXPECT_EQ(r[2].task, "khugepaged");
}

TEST(KernelReportTrigger, ABusyWaitRipGivesWayToTheCaller) {
  const auto r = parse_kernel_reports(
      "[ 1.0] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [x:1]\n"
      "[ 1.0] RIP: 0010:native_sched_clock+0x1/0x2\n[ 1.0] Call Trace:\n[ 1.0]  <TASK>\n"
      "[ 1.0]  local_clock+0x1/0x2\n[ 1.0]  spin_here+0x1/0x2\n[ 1.0]  </TASK>\n"
      "[ 2.0] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [x:1]\n"
      "[ 2.0] RIP: 0010:spin_here+0x1/0x2\n[ 2.0] Call Trace:\n[ 2.0]  <TASK>\n"
      "[ 2.0]  ksys_write+0x1/0x2\n[ 2.0]  </TASK>\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].title, "BUG: soft lockup in spin_here");
  EXPECT_EQ(r[1].title, r[0].title);  // the same spin, wherever the timer interrupt caught it
}

// A task asleep in D state for 25 s: reported at 10 s, and again at 20 s just as it woke up and was
// exiting, when the kernel could only print a stack of "?" guesses: that report has no function.
TEST(KernelReportTrigger, HungTaskThatWokeUpDuringItsReport) {
  const auto r = parse_golden("hung-task-sleep-trigger.txt");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].title, "INFO: task hung in hung_task");
  Frames stack = {"__schedule", "schedule", "schedule_timeout", "hung_task"};
  stack.insert(stack.end(), k_write_syscall.begin(), k_write_syscall.end());
  EXPECT_EQ(r[0].stack, stack);
  EXPECT_EQ(r[1].kind, "hung-task");
  EXPECT_EQ(r[1].title, "INFO: task hung");
  EXPECT_EQ(r[1].stack, (Frames{"__schedule", "schedule"}));
  EXPECT_EQ(r[1].task, "numalab-trigger");
  EXPECT_EQ(r[1].pid, 60);
}

// A work item that keeps its per-CPU pool busy: one line, then the busy workqueues (wq_hog in
// flight, wq_victim pending), which are not part of the report.
TEST(KernelReportTrigger, WorkqueueLockup) {
  const auto r = parse_golden("wq-lockup-trigger.txt");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, "workqueue-lockup");
  EXPECT_EQ(r[0].title, "BUG: workqueue lockup");
  EXPECT_EQ(r[0].first_line, "BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 16s!");
  EXPECT_TRUE(r[0].stack.empty());
}

// Two boots (the second on a rebuilt kernel): the same deadlock, the same title and stack.
TEST(KernelReportTrigger, TwoBootsOfTheSameDeadlockDedup) {
  const auto a = parse_golden("hung-task-deadlock-self-0001.txt");
  const auto b = parse_golden("hung-task-deadlock-self-0002.txt");
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].title, b[0].title);
  EXPECT_EQ(a[0].stack, b[0].stack);
  // Same PID (boots are deterministic up to there), other timestamps and kernel build: "#1", "#2".
}

// Interrupts off for 25 s: no hard-lockup report under TCG (no PMU for the NMI watchdog) but an RCU
// stall, whose NMI backtrace of the stuck CPU carries an older timestamp than the stall's line.
TEST(KernelReportTrigger, HardLockupUnderTcgIsAnRcuStall) {
  const auto r = parse_golden("rcu-stall-hard-lockup-trigger.txt");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, "rcu-stall");
  EXPECT_EQ(r[0].title, "RCU stall in spin");  // RIP delay_tsc, a busy wait: the caller names it
  EXPECT_EQ(r[0].task, "numalab-trigger");
  EXPECT_EQ(r[0].pid, 58);
  EXPECT_EQ(r[0].cpu, 2);
  ASSERT_GE(r[0].stack.size(), 2u);
  EXPECT_EQ(r[0].stack[0], "spin");
  EXPECT_EQ(r[0].stack[1], "hard_lockup");
}

TEST(KernelReportTrigger, TwoBootsOfTheSameOopsDedup) {
  const auto a = parse_golden("oops-null-trigger.txt");
  const auto b = parse_golden("oops-null-trigger-0002.txt");
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].title, b[0].title);
  EXPECT_EQ(a[0].stack, b[0].stack);
}

// With the debug fragment (lockdep): one report per action, titled by the function that took or
// dropped the lock, not by lockdep's own frames (mark_lock, lock_release, kfree...).
struct LockdepGolden {
  const char* file;
  std::size_t reports;  // the deadlocks go on to hung-task reports
  const char* kind;
  const char* title;
  const char* task;
};

TEST(KernelReportTrigger, LockdepReportsFromTheDebugKernel) {
  const LockdepGolden goldens[] = {
      {"lockdep-recursive-deadlock-self-debug.txt", 2, "lockdep-recursive",
       "possible recursive locking in deadlock_self", "numalab-trigger"},
      {"lockdep-circular-deadlock-abba-debug.txt", 2, "lockdep-circular",
       "possible circular locking dependency in abba_thread", "numalab-abba-a"},
      {"lockdep-inconsistent-trigger-debug.txt", 1, "lockdep-inconsistent",
       "inconsistent lock state in take_irq_lock", "swapper/1"},
      {"lockdep-irq-inversion-trigger-debug.txt", 1, "lockdep-irq-inversion",
       "possible irq lock inversion in take_inversion_outer", "swapper/3"},
      {"lockdep-bad-unlock-trigger-debug.txt", 1, "lockdep-bad-unlock", "bad unlock balance in bad_unlock",
       "numalab-trigger"},
      {"lockdep-held-lock-freed-trigger-debug.txt", 1, "lockdep-held-lock-freed",
       "held lock freed in held_lock_freed", "numalab-trigger"},
  };
  for (const auto& g : goldens) {
    const auto r = parse_golden(g.file);
    ASSERT_EQ(r.size(), g.reports) << g.file;
    EXPECT_EQ(r[0].kind, g.kind) << g.file;
    EXPECT_EQ(r[0].title, g.title) << g.file;
    EXPECT_EQ(r[0].task, g.task) << g.file;
    EXPECT_GE(r[0].cpu, 0) << g.file;
    EXPECT_FALSE(r[0].stack.empty()) << g.file;
    if (g.reports == 2) {
      EXPECT_EQ(r[1].kind, "hung-task") << g.file;
    }
  }
}

// msleep() under a spinlock on a PREEMPT_NONE kernel with the debug fragment: "scheduling while
// atomic" (msleep has no might_sleep), then the writer goes on with a preempt count the kernel no
// longer trusts and every later sleep of it complains, up to its return to user space.
TEST(KernelReportTrigger, SleepInAtomicAndWhatFollows) {
  const auto r = parse_golden("sleep-in-atomic-trigger-debug.txt");
  ASSERT_EQ(r.size(), 7u);
  EXPECT_EQ(r[0].kind, "sleep-in-atomic");
  EXPECT_EQ(r[0].title, "BUG: scheduling while atomic in sleep_in_atomic");
  EXPECT_EQ(r[0].first_line, "BUG: scheduling while atomic: numalab-trigger/63/0x00000002");
  EXPECT_EQ(r[0].task, "numalab-trigger");
  EXPECT_EQ(r[0].pid, 63);
  EXPECT_EQ(r[0].cpu, 3);
  EXPECT_EQ(r[1].kind, "lockdep-rcu");
  EXPECT_EQ(r[1].title, "suspicious RCU usage in rcu_sync_is_idle");
  EXPECT_EQ(r[3].kind, "sleep-in-atomic");
  EXPECT_EQ(r[3].title, "BUG: sleeping function called from invalid context in pipe_write");
  EXPECT_EQ(r[6].title, "BUG: scheduling while atomic in exit_to_user_mode_prepare");
}

}  // namespace
}  // namespace numalab::monitor
