// The guest agent's one forked-child type, on real processes of the host: what a child writes is
// read, how it exits is its wait status, one that sleeps for ever is killed, moves hand the child
// over, and no path leaves a zombie behind.

#include "common/forked_child.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>

namespace numalab::guest {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

util::Deadline soon() { return util::Deadline::after(seconds(10)); }

// True when `pid` is no child of this process any more, zombie or not: reaped.
bool reaped(pid_t pid) { return ::waitpid(pid, nullptr, WNOHANG) < 0 && errno == ECHILD; }

[[noreturn]] void sleep_for_ever() {
  for (;;) ::pause();
}

TEST(ForkedChild, ReadsWhatTheChildReports) {
  auto child = ForkedChild::start([](int, int report) {
    const std::uint64_t value = 0x1234'5678'9abc'def0;
    if (::write(report, &value, sizeof value) != sizeof value) ::_exit(2);
    ::_exit(0);
  });
  ASSERT_TRUE(child) << child.error();
  std::uint64_t value = 0;
  EXPECT_EQ(child->read_report(&value, sizeof value, soon()).kind, ReportRead::whole);
  EXPECT_EQ(value, 0x1234'5678'9abc'def0u);
  EXPECT_EQ(child->read_report(&value, sizeof value, soon()).kind, ReportRead::ended);
}

TEST(ForkedChild, ReadsARecordWrittenInPieces) {
  auto child = ForkedChild::start([](int, int report) {
    for (char c : {'a', 'b', 'c'}) {
      if (::write(report, &c, 1) != 1) ::_exit(2);
      const timespec gap{0, 20'000'000};
      ::nanosleep(&gap, nullptr);
    }
    ::_exit(0);
  });
  ASSERT_TRUE(child) << child.error();
  char record[3] = {};
  EXPECT_EQ(child->read_report(record, sizeof record, soon()).kind, ReportRead::whole);
  EXPECT_EQ(std::string(record, sizeof record), "abc");
}

TEST(ForkedChild, GivesTheExitStatusOnce) {
  auto child = ForkedChild::start([](int, int) { ::_exit(3); });
  ASSERT_TRUE(child) << child.error();
  const pid_t pid = child->pid();
  auto end = child->wait(soon());
  ASSERT_TRUE(end);
  ASSERT_TRUE(end->wait_status);
  EXPECT_TRUE(WIFEXITED(*end->wait_status));
  EXPECT_EQ(WEXITSTATUS(*end->wait_status), 3);
  EXPECT_EQ(child->pid(), -1);
  EXPECT_FALSE(child->running());
  EXPECT_TRUE(reaped(pid));
  // Reaped once; asked again, the same end.
  auto again = child->try_reap();
  ASSERT_TRUE(again && again->wait_status);
  EXPECT_EQ(*again->wait_status, *end->wait_status);
}

TEST(ForkedChild, AChildThatReturnsExitsWithOne) {
  auto child = ForkedChild::start([](int, int) {});
  ASSERT_TRUE(child) << child.error();
  auto end = child->wait(soon());
  ASSERT_TRUE(end && end->wait_status);
  EXPECT_TRUE(WIFEXITED(*end->wait_status));
  EXPECT_EQ(WEXITSTATUS(*end->wait_status), 1);
}

TEST(ForkedChild, AnswersOnItsControlPipe) {
  auto child = ForkedChild::start([](int control, int report) {
    char c = 0;
    while (::read(control, &c, 1) == 1) {
      ++c;
      if (::write(report, &c, 1) != 1) ::_exit(2);
    }
    ::_exit(0);
  });
  ASSERT_TRUE(child) << child.error();
  for (char asked : {'a', 'x'}) {
    ASSERT_TRUE(child->tell(asked));
    char answer = 0;
    ASSERT_EQ(child->read_report(&answer, 1, soon()).kind, ReportRead::whole);
    EXPECT_EQ(answer, asked + 1);
  }
}

// The child holds no copy of the agent's end of its control pipe: closing it is its end of file.
TEST(ForkedChild, ClosingControlIsTheChildsEndOfFile) {
  auto child = ForkedChild::start([](int control, int) {
    char c = 0;
    while (::read(control, &c, 1) == 1) {
    }
    ::_exit(7);
  });
  ASSERT_TRUE(child) << child.error();
  child->close_control();
  EXPECT_FALSE(child->tell('x'));
  auto end = child->wait(soon());
  ASSERT_TRUE(end && end->wait_status);
  EXPECT_EQ(WEXITSTATUS(*end->wait_status), 7);
}

TEST(ForkedChild, ASleeperTimesOutAndIsKilled) {
  auto child = ForkedChild::start([](int, int) { sleep_for_ever(); });
  ASSERT_TRUE(child) << child.error();
  const pid_t pid = child->pid();
  char c = 0;
  EXPECT_EQ(child->read_report(&c, 1, util::Deadline::after(milliseconds(50))).kind, ReportRead::timed_out);
  EXPECT_FALSE(child->try_reap());
  EXPECT_FALSE(child->wait(util::Deadline::after(milliseconds(50))));
  EXPECT_TRUE(child->running());
  EXPECT_EQ(child->pid(), pid);

  auto end = child->kill_and_reap(seconds(10));
  ASSERT_TRUE(end && end->wait_status);
  EXPECT_TRUE(WIFSIGNALED(*end->wait_status));
  EXPECT_EQ(WTERMSIG(*end->wait_status), SIGKILL);
  EXPECT_TRUE(reaped(pid));
  // Idempotent: the same end, nothing killed again.
  auto again = child->kill_and_reap();
  ASSERT_TRUE(again && again->wait_status);
  EXPECT_EQ(*again->wait_status, *end->wait_status);
}

TEST(ForkedChild, AnExitedChildIsReapedNotKilled) {
  auto child = ForkedChild::start([](int, int) { ::_exit(0); });
  ASSERT_TRUE(child) << child.error();
  char c = 0;
  ASSERT_EQ(child->read_report(&c, 1, soon()).kind, ReportRead::ended);  // it has exited
  auto end = child->kill_and_reap();
  ASSERT_TRUE(end && end->wait_status);
  EXPECT_TRUE(WIFEXITED(*end->wait_status));
}

TEST(ForkedChild, TheDestructorLeavesNoZombie) {
  pid_t sleeper = -1, exited = -1;
  {
    auto a = ForkedChild::start([](int, int) { sleep_for_ever(); });
    auto b = ForkedChild::start([](int, int) { ::_exit(0); });
    ASSERT_TRUE(a && b);
    sleeper = a->pid();
    exited = b->pid();
    char c = 0;
    ASSERT_EQ(b->read_report(&c, 1, soon()).kind, ReportRead::ended);
  }
  EXPECT_TRUE(reaped(sleeper));
  EXPECT_TRUE(reaped(exited));
  EXPECT_NE(::kill(sleeper, 0), 0);
}

TEST(ForkedChild, AMoveHandsTheChildOver) {
  auto started = ForkedChild::start([](int, int report) {
    if (::write(report, "r", 1) != 1) ::_exit(2);
    sleep_for_ever();
  });
  ASSERT_TRUE(started) << started.error();
  const pid_t pid = started->pid();
  ForkedChild moved(std::move(*started));
  EXPECT_EQ(started->pid(), -1);
  EXPECT_EQ(started->report_fd(), -1);
  EXPECT_FALSE(started->running());
  EXPECT_FALSE(started->kill_and_reap());  // nothing of its own to kill
  EXPECT_EQ(::kill(pid, 0), 0);            // the child lives on, in `moved`
  EXPECT_EQ(moved.pid(), pid);
  char c = 0;
  EXPECT_EQ(moved.read_report(&c, 1, soon()).kind, ReportRead::whole);
  EXPECT_EQ(c, 'r');
}

TEST(ForkedChild, AMoveAssignmentEndsTheChildItReplaces) {
  auto first = ForkedChild::start([](int, int) { sleep_for_ever(); });
  auto second = ForkedChild::start([](int, int) { sleep_for_ever(); });
  ASSERT_TRUE(first && second);
  const pid_t replaced = first->pid();
  const pid_t kept = second->pid();
  *first = std::move(*second);
  EXPECT_TRUE(reaped(replaced));
  EXPECT_EQ(first->pid(), kept);
  EXPECT_TRUE(first->running());
  first->kill_and_reap();
  EXPECT_TRUE(reaped(kept));
}

// Reaped behind its back (as init's SIGCHLD handler would without a ChildReapingPause): lost.
TEST(ForkedChild, AChildReapedElsewhereIsLost) {
  auto child = ForkedChild::start([](int, int) { ::_exit(0); });
  ASSERT_TRUE(child) << child.error();
  ASSERT_EQ(::waitpid(child->pid(), nullptr, 0), child->pid());
  auto end = child->try_reap();
  ASSERT_TRUE(end);
  EXPECT_FALSE(end->wait_status);
  EXPECT_EQ(child->pid(), -1);
  EXPECT_FALSE(child->running());
}

TEST(ForkedChild, GivesTheChildsResourceUsage) {
  auto child = ForkedChild::start([](int, int) {
    timespec used{};
    do ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &used);
    while (used.tv_sec == 0 && used.tv_nsec < 50'000'000);
    ::_exit(0);
  });
  ASSERT_TRUE(child) << child.error();
  auto end = child->wait(util::Deadline::after(seconds(60)));
  ASSERT_TRUE(end && end->wait_status);
  const auto cpu_us = [](const timeval& tv) { return tv.tv_sec * 1'000'000L + tv.tv_usec; };
  EXPECT_GE(cpu_us(end->usage.ru_utime) + cpu_us(end->usage.ru_stime), 40'000);
}

TEST(ReapChild, WaitsForAChildUntilItsDeadline) {
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const timespec nap{0, 200'000'000};
    ::nanosleep(&nap, nullptr);
    ::_exit(5);
  }
  EXPECT_FALSE(reap_child(pid, no_wait()));
  EXPECT_FALSE(reap_child(pid, util::Deadline::after(milliseconds(20))));
  auto end = reap_child(pid, soon());
  ASSERT_TRUE(end && end->wait_status);
  EXPECT_EQ(WEXITSTATUS(*end->wait_status), 5);
  auto lost = reap_child(pid, no_wait());  // not a child any more
  ASSERT_TRUE(lost);
  EXPECT_FALSE(lost->wait_status);
}

}  // namespace
}  // namespace numalab::guest
