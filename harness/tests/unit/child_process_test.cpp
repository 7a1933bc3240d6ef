#include "util/child_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "util/temp_dir.hpp"

namespace numalab::util {
namespace {

TEST(ChildProcess, ReportsTheExitCode) {
  auto c = ChildProcess::spawn({"sh", "-c", "exit 7"}, {});
  ASSERT_TRUE(c);
  auto st = c->wait_until(Deadline::after(std::chrono::seconds(5)));
  ASSERT_TRUE(st);
  EXPECT_EQ(st->exit_code, 7);
}

TEST(ChildProcess, AProgramThatDoesNotExistIsAnErrorNotAChild) {
  auto c = ChildProcess::spawn({"/nonexistent/program"}, {});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("No such file"), std::string::npos) << c.error().message;
}

TEST(ChildProcess, RunsInItsOwnProcessGroup) {
  auto c = ChildProcess::spawn({"sleep", "30"}, {});
  ASSERT_TRUE(c);
  EXPECT_EQ(::getpgid(c->pid()), c->pid());
  EXPECT_NE(::getpgid(c->pid()), ::getpgid(0));
}

TEST(ChildProcess, StopEscalatesToSigkillWhenTermIsIgnored) {
  auto c = ChildProcess::spawn({"sh", "-c", "trap '' TERM; sleep 30"}, {});
  ASSERT_TRUE(c);
  ::usleep(200000);  // let the shell install its trap
  auto st = c->stop(std::chrono::milliseconds(300));
  EXPECT_EQ(st.signal, SIGKILL);
}

TEST(ChildProcess, DestructionStopsTheChild) {
  pid_t pid;
  {
    auto c = ChildProcess::spawn({"sleep", "30"}, {});
    ASSERT_TRUE(c);
    pid = c->pid();
  }
  EXPECT_NE(::kill(pid, 0), 0);
}

TEST(ChildProcess, WaitUntilGivesUpAtTheDeadline) {
  auto c = ChildProcess::spawn({"sleep", "30"}, {});
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->wait_until(Deadline::after(std::chrono::milliseconds(50))));
  EXPECT_TRUE(c->running());
}

TEST(ChildProcess, EnvironmentAddsAndReplacesVariables) {
  ::setenv("NUMALAB_TEST_KEEP", "kept", 1);
  ::setenv("NUMALAB_TEST_REPLACE", "old", 1);
  auto dir = ScopedTempDir::create("child-env-");
  ASSERT_TRUE(dir);
  ChildOptions o;
  o.stdout_path = dir->path() / "out";
  o.env = {"NUMALAB_TEST_REPLACE=new", "NUMALAB_TEST_ADDED=added"};
  auto c = ChildProcess::spawn({"sh", "-c",
                                "echo $NUMALAB_TEST_KEEP $NUMALAB_TEST_REPLACE $NUMALAB_TEST_ADDED; env | "
                                "grep -c NUMALAB_TEST_REPLACE="},
                               o);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->wait_until(Deadline::after(std::chrono::seconds(5))));
  std::ifstream in(dir->path() / "out");
  std::string line, count;
  std::getline(in, line);
  std::getline(in, count);
  EXPECT_EQ(line, "kept new added");
  EXPECT_EQ(count, "1") << "a replaced variable appears once";
}

TEST(CaptureOutput, ReturnsStandardOutput) {
  auto out = capture_output({"printf", "a\\nb"}, Deadline::after(std::chrono::seconds(5)));
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "a\nb");
  EXPECT_FALSE(capture_output({"false"}, Deadline::after(std::chrono::seconds(5))));
}

}  // namespace
}  // namespace numalab::util
