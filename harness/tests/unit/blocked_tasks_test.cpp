// The pure parts of the agent's watch for tasks in uninterruptible sleep: a thread's stat (state
// and comm), its context switches from status, its kernel stack and wchan, and the chooser of the
// tasks a blocked message reports. All of it reads untrusted guest kernel text.

#include <gtest/gtest.h>

#include <string>

#include "workload/common/blocked_task_chooser.hpp"
#include "workload/common/kernel_stack.hpp"
#include "workload/common/proc_stat.hpp"
#include "workload/common/proc_status.hpp"

namespace numalab::workload {
namespace {

using std::chrono::seconds;

// /proc/PID/task/TID/status of the trigger's writer in D on the 6.1 lab kernel, cut down.
constexpr const char* k_status_in_d =
    "Name:\tnumalab-trigger\n"
    "Umask:\t0022\n"
    "State:\tD (disk sleep)\n"
    "Tgid:\t60\n"
    "Pid:\t60\n"
    "PPid:\t1\n"
    "Threads:\t1\n"
    "Cpus_allowed_list:\t0-3\n"
    "Mems_allowed_list:\t0-1\n"
    "voluntary_ctxt_switches:\t3\n"
    "nonvoluntary_ctxt_switches:\t12\n";

TEST(ProcStatusTest, ReadsBothContextSwitchCounters) {
  auto s = parse_context_switches(k_status_in_d);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->voluntary, 3u);
  EXPECT_EQ(s->nonvoluntary, 12u);
  EXPECT_EQ(s->total(), 15u);
}

TEST(ProcStatusTest, ANameThatLooksLikeACounterIsTheName) {
  // Name: is the task's comm, which it may set to anything.
  auto s = parse_context_switches("Name:\tvoluntary_ctxt_switches: 99\n" + std::string(k_status_in_d));
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->voluntary, 3u);
}

TEST(ProcStatusTest, RejectsMissingOrMalformedCounters) {
  for (const char* bad :
       {"", "Name:\tx\n", "voluntary_ctxt_switches:\t3\n", "nonvoluntary_ctxt_switches:\t3\n",
        "voluntary_ctxt_switches:\t-3\nnonvoluntary_ctxt_switches:\t1\n",
        "voluntary_ctxt_switches:\t3 4\nnonvoluntary_ctxt_switches:\t1\n",
        "voluntary_ctxt_switches:\t\nnonvoluntary_ctxt_switches:\t1\n",
        "voluntary_ctxt_switches:\t99999999999999999999999\nnonvoluntary_ctxt_switches:\t1\n"})
    EXPECT_FALSE(parse_context_switches(bad).has_value()) << bad;
  EXPECT_FALSE(parse_context_switches(std::string(k_status_in_d) + std::string(20000, 'x')).has_value());
  // Without a final newline, and with CRs: still read.
  auto s = parse_context_switches("voluntary_ctxt_switches:\t1\r\nnonvoluntary_ctxt_switches:\t2");
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->total(), 3u);
}

TEST(ProcStatTest, AThreadInDAndACommWithParentheses) {
  std::string line = "812 (a) (b) c)) D 1 1 0 0 -1 4194560 30 0 0 0 0 7";
  for (int field = 16; field <= 38; ++field) line += " 0";
  line += " 2\n";
  auto s = parse_proc_stat(line);
  ASSERT_TRUE(s) << s.error();
  EXPECT_EQ(s->comm, "a) (b) c)");
  EXPECT_EQ(s->state, 'D');
  EXPECT_EQ(s->pid, 812);
}

TEST(KernelStackTest, ReadsFunctionNamesWithTheAddressHiddenOrNot) {
  const std::vector<std::string> expected = {"__mutex_lock.constprop.0", "deadlock_self", "trigger_write",
                                             "full_proxy_write", "vfs_write"};
  // 6.1 prints [<0>] for the address...
  auto frames = parse_kernel_stack(
      "[<0>] __mutex_lock.constprop.0+0x14b/0x470\n"
      "[<0>] deadlock_self+0x2c/0x40\n"
      "[<0>] trigger_write+0xa3/0x160\n"
      "[<0>] full_proxy_write+0x58/0x80\n"
      "[<0>] vfs_write+0xc3/0x3f0\n",
      32, 128);
  EXPECT_EQ(frames, expected);
  // ...kernels before 4.15 the real one.
  frames = parse_kernel_stack(
      "[<ffffffff81a2c3db>] __mutex_lock.constprop.0+0x14b/0x470\n"
      "[<ffffffff8143e0cc>] deadlock_self+0x2c/0x40\n"
      "[<ffffffff8143e3a3>] trigger_write+0xa3/0x160\n"
      "[<ffffffff812f1a28>] full_proxy_write+0x58/0x80\n"
      "[<ffffffff81233e63>] vfs_write+0xc3/0x3f0",
      32, 128);
  EXPECT_EQ(frames, expected);
}

TEST(KernelStackTest, ModulesUnknownAddressesAndNoise) {
  auto frames = parse_kernel_stack(
      "[<0>] rpc_wait_bit_killable+0x11/0x70 [sunrpc]\n"
      "[<0>] 0xffffffffc0123456\n"
      "not a frame\n"
      "[<0>]\n"
      "[<0\n"
      "\n"
      "[<0>] nfs_wait\xff\x01+0x1/0x2\n",
      32, 128);
  EXPECT_EQ(frames, (std::vector<std::string>{"rpc_wait_bit_killable", "0xffffffffc0123456", "nfs_wait??"}));
}

TEST(KernelStackTest, IsBounded) {
  std::string deep;
  for (int i = 0; i < 64; ++i) deep += "[<0>] f" + std::to_string(i) + "+0x1/0x2\n";
  auto frames = parse_kernel_stack(deep, 32, 128);
  ASSERT_EQ(frames.size(), 32u);
  EXPECT_EQ(frames.front(), "f0");
  EXPECT_EQ(frames.back(), "f31");
  EXPECT_EQ(parse_kernel_stack("[<0>] " + std::string(600, 's') + "+0x1/0x2\n", 32, 128).at(0).size(), 128u);
  EXPECT_TRUE(parse_kernel_stack(std::string(k_max_kernel_stack_bytes + 1, '\n'), 32, 128).empty());
}

TEST(KernelStackTest, Wchan) {
  EXPECT_EQ(parse_wchan("mutex_lock", 128), "mutex_lock");
  EXPECT_EQ(parse_wchan("rpc_wait_bit_killable\n", 128), "rpc_wait_bit_killable");
  EXPECT_EQ(parse_wchan("0", 128), "");
  EXPECT_EQ(parse_wchan("", 128), "");
  EXPECT_EQ(parse_wchan(std::string(600, 'w'), 128).size(), 128u);
}

TEST(PrintableNameTest, KeepsPrintableAsciiOnly) {
  EXPECT_EQ(printable_name("kworker/u8:2 (x)", 128), "kworker/u8:2 (x)");
  EXPECT_EQ(printable_name("a\nb\x7f\xc2\xb5", 128), "a?b???");
  EXPECT_EQ(printable_name("abcdef", 3), "abc");
}

TaskInD task(int tid, std::uint64_t switches, int pid = 0) {
  return {pid == 0 ? tid : pid, tid, "t" + std::to_string(tid), switches, {}};
}

std::vector<int> tids(const std::vector<TaskInD>& tasks) {
  std::vector<int> out;
  for (const auto& t : tasks) out.push_back(t.tid);
  return out;
}

TEST(BlockedTaskChooserTest, LongestUnchangedFirst) {
  BlockedTaskChooser chooser(16);
  const BlockedTaskChooser::TimePoint t0{};
  auto first = chooser.choose({task(50, 7), task(40, 3)}, t0);
  EXPECT_EQ(tids(first), (std::vector<int>{40, 50})) << "the same age: by TID";
  EXPECT_EQ(first[0].unchanged_for, seconds(0));

  // 50 has not switched; 40 did (it woke and slept again); 30 is new.
  auto second = chooser.choose({task(30, 1), task(40, 4), task(50, 7)}, t0 + seconds(1));
  EXPECT_EQ(tids(second), (std::vector<int>{50, 30, 40}));
  EXPECT_EQ(second[0].unchanged_for, seconds(1));
  EXPECT_EQ(second[1].unchanged_for, seconds(0));

  auto third = chooser.choose({task(40, 4), task(50, 7), task(30, 2)}, t0 + seconds(3));
  EXPECT_EQ(tids(third), (std::vector<int>{50, 40, 30}));
  EXPECT_EQ(third[0].unchanged_for, seconds(3));
  EXPECT_EQ(third[1].unchanged_for, seconds(2));
  EXPECT_EQ(third[0].comm, "t50");
}

TEST(BlockedTaskChooserTest, ATaskThatLeftDStartsAgain) {
  BlockedTaskChooser chooser(16);
  const BlockedTaskChooser::TimePoint t0{};
  chooser.choose({task(50, 7)}, t0);
  chooser.choose({}, t0 + seconds(1));
  auto back = chooser.choose({task(50, 7)}, t0 + seconds(2));
  EXPECT_EQ(back.at(0).unchanged_for, seconds(0));
  // A TID that another process now has is another task.
  chooser.choose({task(60, 1, 60)}, t0 + seconds(3));
  auto reused = chooser.choose({task(60, 1, 61)}, t0 + seconds(4));
  EXPECT_EQ(reused.at(0).unchanged_for, seconds(0));
  // A clock that went backwards gives no negative age.
  chooser.choose({task(70, 1)}, t0 + seconds(10));
  EXPECT_EQ(chooser.choose({task(70, 1)}, t0 + seconds(5)).at(0).unchanged_for, seconds(0));
}

TEST(BlockedTaskChooserTest, KeepsAtMostItsBound) {
  BlockedTaskChooser chooser(16);
  const BlockedTaskChooser::TimePoint t0{};
  std::vector<TaskInD> many;
  for (int tid = 1000; tid > 0; --tid) many.push_back(task(tid, 1));
  chooser.choose(many, t0);
  many.push_back(task(5000, 1));  // new at the second scan: the youngest
  auto chosen = chooser.choose(many, t0 + seconds(1));
  ASSERT_EQ(chosen.size(), 16u);
  EXPECT_EQ(chosen.front().tid, 1);
  EXPECT_EQ(chosen.back().tid, 16);
}

}  // namespace
}  // namespace numalab::workload
