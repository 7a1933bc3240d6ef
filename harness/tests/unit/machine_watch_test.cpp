// The verdict rules of one machine (run/machine_watch.hpp) on a fake timeline: no VM, no clock.

#include "run/machine_watch.hpp"

#include <gtest/gtest.h>

namespace numalab::run {
namespace {

using namespace std::chrono_literals;
using result::Verdict;
using util::TimePoint;

constexpr TimePoint t0 = TimePoint(std::chrono::hours(1));

class MachineWatchTest : public ::testing::Test {
 protected:
  MachineWatch watch{WatchLimits{}, t0};

  // Booted at +5 s with its plan sent.
  void running() { watch.hello(false, t0 + 5s); }
  Verdict verdict() const { return watch.conclusion()->verdict; }
  const std::string& reason() const { return watch.conclusion()->reason; }
  static monitor::KernelReport report(std::string kind, std::string title) {
    monitor::KernelReport r;
    r.kind = std::move(kind);
    r.title = std::move(title);
    return r;
  }
};

TEST_F(MachineWatchTest, NoHelloWithinTheBootTimeoutIsAHangWhenTheKernelPrinted) {
  watch.check(t0 + 180s, 412);
  EXPECT_FALSE(watch.conclusion()) << "the limit itself is not over it";
  watch.check(t0 + 181s, 412);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(verdict(), Verdict::hang);
  EXPECT_EQ(reason(),
            "no agent hello 180 s after QEMU started; the kernel printed 412 console lines, then stopped");
}

TEST_F(MachineWatchTest, NoHelloAndNoConsoleLineIsAnErrorOfTheLab) {
  watch.check(t0 + 181s, 0);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(verdict(), Verdict::error);
  EXPECT_NE(reason().find("serial console on ttyS0"), std::string::npos) << reason();
}

TEST_F(MachineWatchTest, TheBootTimeoutIsTheNextDeadlineWhileBooting) {
  EXPECT_EQ(watch.next_deadline(), t0 + 180s + 1ms);
  running();
  EXPECT_EQ(watch.next_deadline(), t0 + 15s + 1ms) << "then the agent's silence limit";
}

TEST_F(MachineWatchTest, ASilentAgentIsAHangAfterTheHangTimeout) {
  running();
  watch.sign_of_life(t0 + 20s);
  watch.check(t0 + 30s, 100);
  EXPECT_FALSE(watch.conclusion());
  watch.check(t0 + 31s, 100);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(verdict(), Verdict::hang);
  EXPECT_EQ(reason(), "no heartbeat from the guest agent for 11 s");
}

TEST_F(MachineWatchTest, ASilenceDuringAStepNamesTheStepAndItsFrozenCounters) {
  running();
  watch.step_started("swap-nfs", std::nullopt);
  watch.progress().sample("progress.pages_done", 100, t0 + 6s);
  watch.sign_of_life(t0 + 6s);
  watch.check(t0 + 26s, 100);  // a workload with progress gets twice the hang timeout
  EXPECT_FALSE(watch.conclusion());
  watch.check(t0 + 27s, 100);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(reason(),
            "no heartbeat from the guest agent for 21 s during workload swap-nfs; frozen: "
            "pages_done at 100 for 21 s; the last progress sample came 21 s ago");
}

TEST_F(MachineWatchTest, FrozenProgressWhileTheAgentAnswersIsAHangAfterTheStallWindow) {
  running();
  watch.step_started("swap-nfs", std::nullopt);
  watch.progress().sample("progress.pages_done", 1, t0 + 6s);
  watch.progress().sample("progress.pages_done", 2, t0 + 7s);
  for (auto t = t0 + 8s; t <= t0 + 67s; t += 1s) {
    watch.sign_of_life(t);  // heartbeats keep coming
    watch.progress().sample("progress.pages_done", 2, t);
    watch.check(t, 100);
  }
  EXPECT_FALSE(watch.conclusion()) << reason();
  watch.sign_of_life(t0 + 68s);
  watch.check(t0 + 68s, 100);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(verdict(), Verdict::hang);
  EXPECT_EQ(reason(),
            "no progress for 61 s in workload swap-nfs while the agent kept answering; frozen: "
            "pages_done at 2 for 61 s");
}

TEST_F(MachineWatchTest, TheWorkloadsOwnStallTimeoutReplacesTheDefaultWindowAndTheSilenceLimit) {
  running();
  watch.step_started("swap-nfs", 150s);
  watch.progress().sample("progress.pages_done", 1, t0 + 6s);
  watch.sign_of_life(t0 + 6s);
  watch.check(t0 + 150s, 100);
  EXPECT_FALSE(watch.conclusion()) << "a silent agent also gets the author's 150 s: " << reason();
  watch.check(t0 + 157s, 100);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_NE(reason().find("no heartbeat from the guest agent for 151 s"), std::string::npos) << reason();
}

TEST_F(MachineWatchTest, APauseSuspendsTheWatchAndTheWatchStartsAgainWhenItEnds) {
  running();
  watch.step_started("swap-nfs", std::nullopt);
  watch.progress().sample("progress.pages_done", 1, t0 + 6s);
  watch.sign_of_life(t0 + 6s);
  watch.set_paused(true, t0 + 10s);
  EXPECT_EQ(watch.next_deadline(), t0 + 1800s + 1ms) << "only the run limit while paused";
  watch.check(t0 + 100s, 100);
  EXPECT_FALSE(watch.conclusion()) << reason();
  watch.set_paused(false, t0 + 100s);
  watch.check(t0 + 119s, 100);
  EXPECT_FALSE(watch.conclusion()) << "silence counts from the resume: " << reason();
  watch.check(t0 + 121s, 100);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(verdict(), Verdict::hang);
}

agent::Blocked trigger_in_d(std::uint64_t switches) {
  return {{{812,
            812,
            "numalab-trigger",
            switches,
            "mutex_lock",
            {"mutex_lock", "deadlock_self", "trigger_write"}}}};
}

// The agent reports a task in D every second while heartbeats keep coming, from `from` to `to`
// (excluded), with the switch count `switches(t)`.
template <typename Switches>
void reports_in_d(MachineWatch& watch, TimePoint from, TimePoint to, Switches switches) {
  for (auto t = from; t < to; t += 1s) {
    watch.sign_of_life(t);
    watch.blocked(trigger_in_d(switches(t)), t);
    watch.check(t, 100);
  }
}

TEST_F(MachineWatchTest, ATaskInDWithoutAContextSwitchIsAHangAtTheStallWindowNotBefore) {
  running();
  reports_in_d(watch, t0 + 10s, t0 + 70s, [](TimePoint) { return std::uint64_t{4567}; });
  EXPECT_FALSE(watch.conclusion()) << reason();
  EXPECT_EQ(watch.next_deadline(), t0 + 70s + 1ms) << "first seen at +10 s, the window is 60 s";
  watch.check(t0 + 70s - 1ms, 100);
  EXPECT_FALSE(watch.conclusion()) << reason();
  watch.check(t0 + 70s, 100);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(verdict(), Verdict::hang);
  EXPECT_EQ(reason(),
            "task numalab-trigger (pid 812) blocked in D for 60 s without a context switch: mutex_lock <- "
            "deadlock_self <- trigger_write");
}

TEST_F(MachineWatchTest, ATaskInDWhoseSwitchCountMovesStartsAgain) {
  running();
  // It wakes at +40 s (I/O that completes, a lock passed on) and sleeps again.
  reports_in_d(watch, t0 + 10s, t0 + 100s,
               [](TimePoint t) { return t < t0 + 40s ? std::uint64_t{4567} : std::uint64_t{4568}; });
  EXPECT_FALSE(watch.conclusion()) << reason();
  watch.check(t0 + 100s, 100);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_NE(reason().find("blocked in D for 60 s"), std::string::npos) << reason();
}

TEST_F(MachineWatchTest, ATaskInDThatIsNoLongerReportedIsForgotten) {
  running();
  reports_in_d(watch, t0 + 10s, t0 + 21s, [](TimePoint) { return std::uint64_t{4567}; });
  // A gap of the refresh limit (5 s) keeps it; a longer one forgets it: it left D, and when it is
  // reported again it starts from there.
  reports_in_d(watch, t0 + 25s, t0 + 30s, [](TimePoint) { return std::uint64_t{4567}; });
  for (auto t = t0 + 30s; t < t0 + 36s; t += 1s) watch.sign_of_life(t);
  reports_in_d(watch, t0 + 36s, t0 + 96s, [](TimePoint) { return std::uint64_t{4567}; });
  EXPECT_FALSE(watch.conclusion()) << "seen at +10 s, forgotten after +34 s: " << reason();
  watch.check(t0 + 96s, 100);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_NE(reason().find("blocked in D for 60 s"), std::string::npos) << reason();

  // Reported once, then nothing but heartbeats: no verdict, and nothing left to watch.
  MachineWatch other{WatchLimits{}, t0};
  other.hello(false, t0 + 5s);
  other.blocked(trigger_in_d(1), t0 + 10s);
  for (auto t = t0 + 10s; t < t0 + 80s; t += 1s) {
    other.sign_of_life(t);
    other.check(t, 100);
  }
  EXPECT_FALSE(other.conclusion()) << other.conclusion()->reason;
  EXPECT_FALSE(other.tasks_in_d().any());
}

TEST_F(MachineWatchTest, APauseSuspendsTheWatchOnTasksInD) {
  running();
  reports_in_d(watch, t0 + 10s, t0 + 30s, [](TimePoint) { return std::uint64_t{4567}; });
  watch.set_paused(true, t0 + 30s);
  EXPECT_EQ(watch.next_deadline(), t0 + 1800s + 1ms) << "only the run limit while paused";
  watch.check(t0 + 200s, 100);
  EXPECT_FALSE(watch.conclusion()) << reason();
  EXPECT_TRUE(watch.tasks_in_d().any()) << "a paused guest reports nothing and is not forgotten for it";
  watch.set_paused(false, t0 + 200s);
  reports_in_d(watch, t0 + 200s, t0 + 260s, [](TimePoint) { return std::uint64_t{4567}; });
  EXPECT_FALSE(watch.conclusion()) << "the window counts from the resume: " << reason();
  watch.check(t0 + 260s, 100);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_NE(reason().find("blocked in D for 60 s"), std::string::npos) << reason();
}

TEST_F(MachineWatchTest, TheWorkloadsStallTimeoutIsTheWindowForTasksInDToo) {
  running();
  watch.step_started("trigger", 20s);
  reports_in_d(watch, t0 + 10s, t0 + 30s, [](TimePoint) { return std::uint64_t{4567}; });
  EXPECT_FALSE(watch.conclusion()) << reason();
  watch.check(t0 + 30s, 100);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_NE(reason().find("blocked in D for 20 s"), std::string::npos) << reason();
}

TEST_F(MachineWatchTest, SeveralTasksInDLongestFirstAtMostThreeInTheReason) {
  running();
  agent::Blocked m;
  for (int i = 0; i < 5; ++i) m.tasks.push_back({100 + i, 100 + i, "t" + std::to_string(i), 1, "", {}});
  m.tasks.push_back({200, 201, "writer", 7, "rpc_wait_bit_killable", {}});
  for (auto t = t0 + 10s; t <= t0 + 70s; t += 1s) {
    watch.sign_of_life(t);
    if (t == t0 + 11s) m.tasks.front().switches = 2;  // t0 moved once: the youngest
    watch.blocked(m, t);
    watch.check(t, 100);
  }
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(reason(),
            "task t1 (pid 101) blocked in D for 60 s without a context switch: no stack; "
            "task t2 (pid 102) blocked in D for 60 s without a context switch: no stack; "
            "task t3 (pid 103) blocked in D for 60 s without a context switch: no stack; "
            "and 2 more tasks in D as long");
  const auto all = watch.tasks_in_d().all();
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all.back().task.comm, "t0");
  EXPECT_EQ(describe_stuck(all[4], t0 + 70s, 32),
            "task writer (pid 200, tid 201) blocked in D for 60 s without a context switch: in "
            "rpc_wait_bit_killable");
}

TEST_F(MachineWatchTest, TheRunLimitEndsEvenAMachineThatKeepsAnswering) {
  running();
  for (auto t = t0 + 6s; t < t0 + 1801s; t += 5s) watch.sign_of_life(t);
  watch.check(t0 + 1801s, 100);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(reason(), "the machine did not finish within the run limit of 1800 s");
}

TEST_F(MachineWatchTest, AFatalKernelReportIsACrashOnceTheConsoleSettled) {
  running();
  watch.fatal_console_report("oops", "Oops: 0002 [#1] PREEMPT SMP", t0 + 9s);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(verdict(), Verdict::crash);
  EXPECT_EQ(reason(), "kernel oops: Oops: 0002 [#1] PREEMPT SMP");
  EXPECT_EQ(watch.conclusion()->stop_at, t0 + 11s) << "the rest of the report is read first";
}

TEST_F(MachineWatchTest, AHungTaskReportIsAHangThatNamesLockdepsEarlierReport) {
  running();
  auto lockdep = report("lockdep-recursive", "possible recursive locking in deadlock_self");
  auto hung = report("hung-task", "INFO: task hung in deadlock_self");
  auto warning = report("warning", "WARNING in topology_sane");
  watch.kernel_report(warning, {}, t0 + 8s);
  EXPECT_FALSE(watch.conclusion()) << "a warning is evidence, not a verdict";
  watch.kernel_report(hung, {warning, lockdep}, t0 + 9s);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(verdict(), Verdict::hang);
  EXPECT_EQ(reason(),
            "kernel hung task: INFO: task hung in deadlock_self; lockdep reported before it: possible "
            "recursive locking in deadlock_self");
}

TEST_F(MachineWatchTest, PvpanicIsACrash) {
  running();
  watch.guest_panicked(t0 + 7s);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(verdict(), Verdict::crash);
  EXPECT_EQ(reason(), "the guest kernel panicked (pvpanic)");
}

TEST_F(MachineWatchTest, AVmThatExitsBeforeTheAgentIsDoneIsAnErrorWithItsLog) {
  watch.vm_exited("exit 1", "  qemu-system-x86_64: -numa: bad\n", t0 + 1s);
  ASSERT_TRUE(watch.conclusion());
  EXPECT_EQ(verdict(), Verdict::error);
  EXPECT_EQ(reason(),
            "QEMU exited (exit 1) before the agent finished; the guest never said hello (see console.log)\n"
            "  qemu-system-x86_64: -numa: bad\n");
}

TEST_F(MachineWatchTest, AVmThatExitsWhileItPowersOffIsTheNormalEnd) {
  running();
  watch.powering_off();
  watch.vm_exited("exit 0", "", t0 + 9s);
  EXPECT_FALSE(watch.conclusion());
}

TEST_F(MachineWatchTest, TheFirstVerdictStands) {
  running();
  watch.guest_panicked(t0 + 7s);
  watch.conclude(Verdict::error, "numalab was interrupted (Interrupt)", t0 + 8s);
  watch.check(t0 + 100s, 0);
  EXPECT_EQ(verdict(), Verdict::crash);
}

}  // namespace
}  // namespace numalab::run
