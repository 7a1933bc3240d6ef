// A guest that panics or goes silent ends the run with crash or hang (exit 4) in bounded time,
// with the console kept; numalab itself never hangs and never leaves a QEMU behind.

#include <signal.h>

#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

std::string trigger_lab(const std::string& action) {
  return debian_guest_lab("trigger-" + action, k_two_small_nodes,
                          "[[workload]]\nname = \"trigger\"\naction = \"" + action + "\"\n");
}

class Watchdog : public NumalabFixture {
 protected:
  // Waits until a QEMU of this test is running (present) or none is (!present); true if so in time.
  bool wait_for_qemu(bool present, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (processes_mentioning(tmp().string()).empty() == present) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
  }
  // Waits until the guest's console shows the agent running its workload.
  bool wait_for_workload(std::chrono::seconds limit) {
    const auto console = results() / "runs" / "0001" / "guest" / "console.log";
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (slurp(console).find("numalab-agent: workload trigger") == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
  }
  util::ChildProcess start_silent_guest() {
    return start({"run", write_lab("hang.toml", trigger_lab("hang")).string(), "--results",
                  results().string(), "--hang-timeout", "600"});
  }
};

TEST_F(Watchdog, PanicIsACrash) {
  auto inv = run(write_lab("panic.toml", trigger_lab("panic")));
  EXPECT_EQ(inv.exit_code, 4) << inv.out << inv.err;
  EXPECT_EQ(inv.summary["verdict"], "crash");
  EXPECT_EQ(inv.summary["workloads"][0]["verdict"], "crash");
  const auto run_dir = std::filesystem::path(inv.summary["run_dir"].get<std::string>());
  EXPECT_NE(slurp(run_dir / "guest" / "console.log").find("Kernel panic - not syncing"), std::string::npos);
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
}

TEST_F(Watchdog, SilentGuestIsAHangWithinTheTimeout) {
  const auto t0 = std::chrono::steady_clock::now();
  auto inv = run(write_lab("hang.toml", trigger_lab("hang")), {"--hang-timeout", "5"});
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(inv.exit_code, 4) << inv.out << inv.err;
  EXPECT_EQ(inv.summary["verdict"], "hang");
  EXPECT_NE(inv.summary["reason"].get<std::string>().find("no heartbeat"), std::string::npos);
  // Boot (under TCG, on a loaded 2-core host: up to a minute) + 5 s of silence + shutdown.
  EXPECT_LT(took, 120.0);
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
}

// SIGKILL cannot be caught: QEMU must die with numalab through its parent-death signal.
TEST_F(Watchdog, KilledNumalabLeavesNoQemu) {
  auto child = start_silent_guest();
  ASSERT_TRUE(wait_for_qemu(true, std::chrono::seconds(60))) << "QEMU never started";
  ASSERT_TRUE(wait_for_workload(std::chrono::seconds(120))) << "the guest never ran its workload";
  ::kill(child.pid(), SIGKILL);
  child.wait_until(util::Deadline::after(std::chrono::seconds(10)));
  EXPECT_TRUE(wait_for_qemu(false, std::chrono::seconds(5))) << "QEMU outlived a killed numalab";
}

// Ctrl-C (SIGINT) and SIGTERM: numalab stops the VMs itself, stores the run, exits 128+signal.
class Interrupt : public Watchdog, public ::testing::WithParamInterface<int> {};

TEST_P(Interrupt, StopsQemuAndStoresTheRun) {
  auto child = start_silent_guest();
  ASSERT_TRUE(wait_for_qemu(true, std::chrono::seconds(60))) << "QEMU never started";
  ASSERT_TRUE(wait_for_workload(std::chrono::seconds(120))) << "the guest never ran its workload";
  ::kill(child.pid(), GetParam());
  auto inv = finish(child, std::chrono::seconds(30));
  EXPECT_EQ(inv.exit_code, 128 + GetParam()) << inv.err;
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
  auto list = start({"list", "--results", results().string()});
  auto listed = finish(list);
  EXPECT_NE(listed.out.find("error"), std::string::npos) << listed.out;
}

INSTANTIATE_TEST_SUITE_P(Signals, Interrupt, ::testing::Values(SIGINT, SIGTERM),
                         [](const ::testing::TestParamInfo<int>& p) { return std::string(::sigabbrev_np(p.param)); });

// Bad input: exit 2, a message with file and line, and nothing started or stored.
TEST_F(Watchdog, BadLabStartsNothing) {
  auto lab = write_lab("bad.toml", R"(
name = "bad"
[[machine]]
name = "guest"
  [[machine.node]]
  cpus = [0, 0]
  memory = "256M"
[[workload]]
name = "topology-check"
)");
  auto inv = run(lab);
  EXPECT_EQ(inv.exit_code, 2);
  EXPECT_NE(inv.err.find("bad.toml:6"), std::string::npos) << inv.err;
  EXPECT_FALSE(std::filesystem::exists(results() / "runs"));
}

TEST_F(Watchdog, MissingKernelIsBadInput) {
  auto inv = run(source("lab/default.toml"), {"--kernel", "/nonexistent/bzImage"});
  EXPECT_EQ(inv.exit_code, 2) << inv.err;
  EXPECT_NE(inv.err.find("/nonexistent/bzImage"), std::string::npos) << inv.err;
  EXPECT_FALSE(std::filesystem::exists(results() / "runs"));
}

}  // namespace
}  // namespace numalab::itest
