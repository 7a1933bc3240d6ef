// A guest that panics or goes silent ends the run with crash or hang (exit 4) in bounded time,
// with the console kept; numalab itself never hangs and never leaves a QEMU behind.

#include <signal.h>

#include <map>

#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

std::string trigger_lab(const std::string& action) {
  return debian_guest_lab("trigger-" + action, k_two_small_nodes,
                          "[[workload]]\nname = \"trigger\"\naction = \"" + action + "\"\n");
}

// The evidence steps capture.json lists, by name: "ok", "failed" or "skipped".
std::map<std::string, std::string> capture_steps(const std::filesystem::path& machine_dir) {
  std::map<std::string, std::string> steps;
  auto j = nlohmann::json::parse(slurp(machine_dir / "capture.json"), nullptr, false);
  if (j.is_object())
    for (const auto& s : j["steps"]) steps[s["name"].get<std::string>()] = s["status"].get<std::string>();
  return steps;
}

bool is_elf(const std::filesystem::path& file) {
  return slurp(file).substr(0, 4) ==
         "\x7f"
         "ELF";
}

// The guest's RAM in the two small nodes; a dump is that plus headers and notes.
constexpr std::uintmax_t k_small_guest_ram = 512ull << 20;

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
  // The evidence of a guest paused by pvpanic: no keys, but its registers and its memory.
  auto steps = capture_steps(run_dir / "guest");
  EXPECT_EQ(steps["sysrq-w"], "skipped");
  EXPECT_EQ(steps["registers-1"], "ok");
  EXPECT_EQ(steps["memory-dump"], "ok");
  EXPECT_EQ(steps["vmlinux"], "skipped") << "Debian's kernel has no vmlinux here";
  std::error_code ec;
  const auto dump_size = std::filesystem::file_size(run_dir / "guest" / "vmcore", ec);
  EXPECT_GE(dump_size, k_small_guest_ram);
  EXPECT_LT(dump_size, k_small_guest_ram + (16 << 20));
}

TEST_F(Watchdog, SilentGuestIsAHangWithinTheTimeout) {
  const auto t0 = std::chrono::steady_clock::now();
  auto inv = run(write_lab("hang.toml", trigger_lab("hang")), {"--hang-timeout", "5", "--no-dump"});
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(inv.exit_code, 4) << inv.out << inv.err;
  EXPECT_EQ(inv.summary["verdict"], "hang");
  EXPECT_NE(inv.summary["reason"].get<std::string>().find("no heartbeat"), std::string::npos);
  // Boot (under TCG, on a loaded 2-core host: up to a minute) + 5 s of silence + evidence + shutdown.
  EXPECT_LT(took, 150.0);
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
  // The evidence, without the dump (--no-dump): the sysrq markers with what the kernel printed
  // after them, the registers twice.
  const auto dir = std::filesystem::path(inv.summary["run_dir"].get<std::string>()) / "guest";
  const auto console = slurp(dir / "console.log");
  const auto w = console.find("[numalab: sysrq-w sent at +");
  ASSERT_NE(w, std::string::npos) << console.substr(console.size() > 3000 ? console.size() - 3000 : 0);
  EXPECT_NE(console.find("sysrq: Show Blocked State", w), std::string::npos);
  const auto t = console.find("[numalab: sysrq-t sent at +");
  ASSERT_NE(t, std::string::npos);
  EXPECT_NE(console.find("task:init ", t), std::string::npos)
      << "sysrq-t lists every task, the agent (/init) too";
  EXPECT_NE(slurp(dir / "registers-1.txt").find("RIP="), std::string::npos);
  EXPECT_NE(slurp(dir / "registers-2.txt").find("RIP="), std::string::npos);
  auto steps = capture_steps(dir);
  EXPECT_EQ(steps["nmi"], "ok");
  EXPECT_EQ(steps["memory-dump"], "skipped");
  EXPECT_FALSE(std::filesystem::exists(dir / "vmcore"));
}

// On a lab kernel, the dump of a panicked guest is read with its vmlinux into a hang report that
// `numalab show` points at.
class Evidence : public LabKernelFixture {};

TEST_F(Evidence, APanickedLabKernelIsDumpedWithItsVmlinuxAndAnalysed) {
  // `numalab build` prints the baseline kernel's bzImage (a cache hit once built); its vmlinux is
  // beside it, and numalab links it into the run folder.
  auto build = start({"build", source("lab/kernels-baseline.toml").string()});
  auto built = finish(build, std::chrono::seconds(2400));
  ASSERT_EQ(built.exit_code, 0) << built.err;
  const auto image = built.out.substr(built.out.find('/'), built.out.find('\n') - built.out.find('/'));
  auto inv = run(write_lab("panic.toml", trigger_lab("panic")), {"--kernel", image});
  EXPECT_EQ(inv.exit_code, 4) << inv.out << inv.err;
  EXPECT_EQ(inv.summary["verdict"], "crash");
  const auto run_dir = std::filesystem::path(inv.summary["run_dir"].get<std::string>());
  const auto dir = run_dir / "guest";
  auto steps = capture_steps(dir);
  EXPECT_EQ(steps["memory-dump"], "ok");
  EXPECT_EQ(steps["vmlinux"], "ok");
  EXPECT_EQ(steps["analysis"], "ok") << slurp(dir / "hang-report.log");
  EXPECT_TRUE(is_elf(dir / "vmcore"));
  std::error_code ec;
  EXPECT_GE(std::filesystem::file_size(dir / "vmcore", ec), k_small_guest_ram);
  EXPECT_EQ(std::filesystem::file_size(dir / "vmlinux", ec),
            std::filesystem::file_size(std::filesystem::path(image).parent_path() / "vmlinux", ec));
  const auto report = slurp(dir / "hang-report.txt");
  EXPECT_NE(report.find("Tasks in uninterruptible sleep"), std::string::npos) << report;
  auto show = start({"show", run_dir.filename().string(), "--results", results().string()});
  auto shown = finish(show);
  EXPECT_NE(shown.out.find("guest: hang report " + (dir / "hang-report.txt").string()), std::string::npos)
      << shown.out;
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
                         [](const ::testing::TestParamInfo<int>& p) {
                           return std::string(::sigabbrev_np(p.param));
                         });

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
