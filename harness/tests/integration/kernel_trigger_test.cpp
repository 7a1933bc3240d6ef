// The trigger workload's kernel actions (patches/test-deadlock-trigger): an Oops is a crash whose
// console report is classified with its title; a kernel without the series says how to get one;
// a deadlock is a hang once the host turns the hung-task report into a verdict.

#include "monitor/kernel_report.hpp"
#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

// One guest on the trigger kernel of lab/trigger-deadlock.toml. The deadlock tests have the hung-task
// detector report after 10 s; the Oops test keeps the kernel's 120 s, so that a slow RCU grace period
// under TCG (a task over 10 s in __wait_rcu_gp before the trigger ran, once in a gate) is not
// reported in its place.
std::string trigger_kernel_lab(const std::string& name, const std::string& workload,
                               bool quick_hung_task = true) {
  std::string lab = "name = \"" + name + "\"\n[kernel.trigger]\nbase = \"debian-6.1\"\nseries = \"" +
                    (std::filesystem::path(NUMALAB_SOURCE_DIR) / "patches/test-deadlock-trigger").string() +
                    "\"\nconfig = [\"numa-lab\"]\n[[machine]]\nname = \"guest\"\nkernel = \"trigger\"\n";
  if (quick_hung_task) lab += "cmdline = [\"sysctl.kernel.hung_task_timeout_secs=10\"]\n";
  for (const auto& n : k_two_nodes)
    lab += "  [[machine.node]]\n  cpus = " + n.cpus + "\n  memory = \"" + n.memory + "\"\n";
  return lab + "[[workload]]\nname = \"trigger\"\n" + workload;
}

class KernelTrigger : public LabKernelFixture {
 protected:
  // Builds the trigger kernel unless it is cached (~2 min with ccache after baseline; CTest gives
  // each test 2400 s).
  void build_trigger_kernel() {
    auto build = start({"build", source("lab/trigger-deadlock.toml").string()});
    auto built = finish(build, std::chrono::seconds(2300));
    ASSERT_EQ(built.exit_code, 0) << built.err;
  }
  std::vector<monitor::KernelReport> console_reports(const Invocation& inv) {
    const auto run_dir = std::filesystem::path(inv.summary["run_dir"].get<std::string>());
    return monitor::parse_kernel_reports(slurp(run_dir / "guest" / "console.log"));
  }
};

TEST_F(KernelTrigger, DebiansKernelHasNoTriggerFile) {
  auto inv = run(write_lab("no-trigger.toml",
                           debian_guest_lab("no-trigger", k_two_small_nodes,
                                            "[[workload]]\nname = \"trigger\"\naction = \"oops\"\n")));
  EXPECT_EQ(inv.exit_code, 3) << inv.out << inv.err;
  const auto& w = inv.summary["workloads"][0];
  EXPECT_EQ(w["verdict"], "error");
  EXPECT_EQ(w["detail"], "this kernel has no numalab_trigger: build it with patches/test-deadlock-trigger");
}

TEST_F(KernelTrigger, OopsIsACrashWithItsReport) {
  build_trigger_kernel();
  if (IsSkipped() || HasFatalFailure()) return;
  auto inv = run(write_lab("oops.toml", trigger_kernel_lab("trigger-oops", "action = \"oops\"\n", false)));
  EXPECT_EQ(inv.exit_code, 4) << inv.out << inv.err;
  EXPECT_EQ(inv.summary["verdict"], "crash");
  EXPECT_EQ(inv.summary["workloads"][0]["verdict"], "crash");
  EXPECT_NE(inv.summary["reason"].get<std::string>().find("Oops"), std::string::npos)
      << inv.summary["reason"];
  const auto reports = console_reports(inv);
  ASSERT_FALSE(reports.empty());
  // This title came out as "Oops in oops" in about 2 runs of 9 in session 5: on failure, show the
  // console around the report, which the test's folder does not outlive.
  const std::string console =
      slurp(std::filesystem::path(inv.summary["run_dir"].get<std::string>()) / "guest" / "console.log");
  auto bug = console.find("BUG: kernel NULL pointer");
  if (bug == std::string::npos) bug = console.find("Oops: ");
  const std::string around =
      console.substr(bug == std::string::npos ? 0 : (bug > 2000 ? bug - 2000 : 0), 4000);
  EXPECT_EQ(reports[0].kind, "oops") << around;
  EXPECT_EQ(reports[0].title, "BUG: kernel NULL pointer dereference in oops") << around;
  EXPECT_EQ(reports[0].task, "numalab-trigger") << around;
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
}

// The hung-task report is the verdict; the memory dump taken before QEMU is stopped shows the
// task blocked on the mutex it holds; and a bundle of the run reproduces the hang 2 of 2.
TEST_F(KernelTrigger, DeadlockIsAHangWithTheBlockedTask) {
  build_trigger_kernel();
  if (IsSkipped() || HasFatalFailure()) return;
  auto inv = run(write_lab(
      "deadlock.toml", trigger_kernel_lab("trigger-deadlock", "action = \"deadlock\"\nwait = \"60s\"\n")));
  EXPECT_EQ(inv.exit_code, 4) << inv.out << inv.err;
  EXPECT_EQ(inv.summary["verdict"], "hang");
  EXPECT_EQ(inv.summary["workloads"][0]["verdict"], "hang");
  EXPECT_NE(inv.summary["reason"].get<std::string>().find("INFO: task hung in deadlock_self"),
            std::string::npos)
      << inv.summary["reason"];
  const auto reports = console_reports(inv);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports[0].kind, "hung-task");
  EXPECT_EQ(reports[0].task, "numalab-trigger");

  // The dump's analysis: the trigger's task in D, in the mutex it already holds, with its stack.
  const auto run_dir = std::filesystem::path(inv.summary["run_dir"].get<std::string>());
  const std::string report = slurp(run_dir / "guest" / "hang-report.txt");
  ASSERT_FALSE(report.empty()) << "no hang-report.txt; capture.json: "
                               << slurp(run_dir / "guest" / "capture.json");
  EXPECT_NE(report.find("DEADLOCK: task numalab-trigger (pid "), std::string::npos) << report;
  EXPECT_NE(report.find("waits for mutex self_lock owned by itself"), std::string::npos) << report;
  const auto blocked = report.find("Tasks in uninterruptible sleep (D)");
  ASSERT_NE(blocked, std::string::npos) << report;
  const auto task = report.find("  numalab-trigger pid ", blocked);
  ASSERT_NE(task, std::string::npos) << report;
  EXPECT_NE(report.find("mutex_lock", task), std::string::npos) << "its stack: " << report.substr(task);
  EXPECT_NE(report.find("deadlock_self", task), std::string::npos) << "its stack: " << report.substr(task);

  // A reviewer's loop: the bundle of this run, re-run twice, hangs twice.
  const auto archive = tmp() / "deadlock-bundle.tar.gz";
  auto b = start({"bundle", inv.summary["run_id"].get<std::string>(), "--results", results().string(), "-o",
                  archive.string()});
  auto bundled = finish(b, std::chrono::seconds(60));
  ASSERT_EQ(bundled.exit_code, 0) << bundled.out << bundled.err;
  auto r = start({"repro", archive.string(), "--runs", "2", "--results", results().string(), "--no-dump"});
  auto repro = finish(r, std::chrono::seconds(600));
  EXPECT_EQ(repro.exit_code, 0) << repro.out << repro.err;
  EXPECT_NE(repro.out.find("reproduced 2 of 2 (100 %, 95 % CI 34–100 %, Wilson)"), std::string::npos)
      << repro.out;
  EXPECT_NE(repro.out.find(" hang (reproduced)"), std::string::npos) << repro.out;
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
}

// Two kernel threads deadlock through a rw-semaphore and a mutex: the dump's analysis names the
// rwsem's writer as its owner and prints the cycle of waiters.
TEST_F(KernelTrigger, RwsemCycleIsTheDeadlockInTheDumpReport) {
  build_trigger_kernel();
  if (IsSkipped() || HasFatalFailure()) return;
  auto inv = run(write_lab("rwsem.toml", trigger_kernel_lab("trigger-rwsem",
                                                            "action = \"deadlock\"\nhow = \"rwsem\"\n"
                                                            "wait = \"60s\"\n")));
  EXPECT_EQ(inv.exit_code, 4) << inv.out << inv.err;
  EXPECT_EQ(inv.summary["verdict"], "hang");
  const auto reports = console_reports(inv);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports[0].kind, "hung-task");
  EXPECT_TRUE(reports[0].task.starts_with("numalab-rwsem-")) << reports[0].task;

  const auto run_dir = std::filesystem::path(inv.summary["run_dir"].get<std::string>());
  const std::string report = slurp(run_dir / "guest" / "hang-report.txt");
  ASSERT_FALSE(report.empty()) << "no hang-report.txt; capture.json: "
                               << slurp(run_dir / "guest" / "capture.json");
  const auto deadlock = report.find("DEADLOCK: task numalab-rwsem-");
  ASSERT_NE(deadlock, std::string::npos) << report;
  const std::string cycle = report.substr(deadlock, report.find('\n', deadlock) - deadlock);
  EXPECT_NE(cycle.find("waits for rwsem rwsem_sem owned by numalab-rwsem-w (pid "), std::string::npos)
      << cycle;
  EXPECT_NE(cycle.find("waits for mutex rwsem_mutex owned by numalab-rwsem-r (pid "), std::string::npos)
      << cycle;
  const auto blocked = report.find("Tasks in uninterruptible sleep (D)");
  ASSERT_NE(blocked, std::string::npos) << report;
  const auto reader = report.find("  numalab-rwsem-r pid ", blocked);
  ASSERT_NE(reader, std::string::npos) << report;
  EXPECT_NE(report.find("rwsem_down_read_slowpath", reader), std::string::npos) << report.substr(reader);
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
}

// With the debug fragment lockdep names the deadlock the moment the second mutex_lock() is asked
// for, before the hung-task detector does; the run keeps lockdep's report with its title.
TEST_F(KernelTrigger, DeadlockOnTheDebugKernelHasLockdepsTitle) {
  auto build = start({"build", source("lab/trigger-deadlock-debug.toml").string()});
  auto built = finish(build, std::chrono::seconds(2300));
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto inv = run(source("lab/trigger-deadlock-debug.toml"), {"--no-dump"});
  EXPECT_EQ(inv.exit_code, 4) << inv.out << inv.err;
  EXPECT_EQ(inv.summary["verdict"], "hang");
  EXPECT_NE(inv.summary["reason"].get<std::string>().find(
                "lockdep reported before it: possible recursive locking in deadlock_self"),
            std::string::npos)
      << inv.summary["reason"];
  const auto reports = console_reports(inv);
  ASSERT_GE(reports.size(), 2u);
  EXPECT_EQ(reports[0].kind, "lockdep-recursive");
  EXPECT_EQ(reports[0].title, "possible recursive locking in deadlock_self");
  EXPECT_EQ(reports[0].task, "numalab-trigger");
  EXPECT_EQ(reports[1].kind, "hung-task");
}

}  // namespace
}  // namespace numalab::itest
