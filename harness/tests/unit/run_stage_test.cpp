// The run stage end to end against fakes (run_fakes.hpp): the real lab loop, machines, verdict
// rules, service gate and fault schedule, with a fake clock, fake VMs whose guest side each test
// plays, an in-memory store and a stop request the test presses. No QEMU.

#include <gtest/gtest.h>

#include <fstream>

#include "run/lab_runner.hpp"
#include "run/startup_preparation.hpp"
#include "run_fakes.hpp"
#include "store/store.hpp"
#include "util/temp_dir.hpp"

namespace numalab::run {
namespace {

using namespace testing;
using result::Verdict;

std::string two_machine_lab(const std::string& extra = "") {
  return R"(name = "pair"
[[machine]]
name = "a"
  [[machine.node]]
  cpus = [0]
  memory = "256M"
[[machine]]
name = "b"
  [[machine.node]]
  cpus = [0]
  memory = "256M"
[[workload]]
name = "topology-check"
machine = "a"
[[workload]]
name = "topology-check"
machine = "b"
)" + extra;
}

class RunStage : public ::testing::Test, protected FakeRunParts {
 protected:
  void SetUp() override {
    auto dir = util::ScopedTempDir::create("numalab-run-stage-");
    ASSERT_TRUE(dir);
    tmp_ = std::make_unique<util::ScopedTempDir>(std::move(*dir));
    std::ofstream(tmp() / "bzImage") << "a kernel";
    std::ofstream(tmp() / "initrd") << "an image";
    auto store = store::ResultsStore::open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    settings.results_dir = tmp() / "results";
  }
  std::filesystem::path tmp() const { return tmp_->path(); }

  // The fake time of the first machine's verdict, filled in when it is reached: the run goes on in
  // real time after it (evidence and stop on a thread of their own), so the time at the end says
  // little about when the verdict came.
  std::shared_ptr<std::optional<double>> conclusion_time() {
    auto at = std::make_shared<std::optional<double>>();
    status.hook = [this, at](const StatusEvent& e) {
      if (std::holds_alternative<MachineConcluded>(e) && !*at) *at = clock.seconds();
    };
    return at;
  }

  lab::Lab lab(const std::string& text) {
    std::ofstream(tmp() / "lab.toml") << text;
    auto l = lab::parse_lab_file(tmp() / "lab.toml");
    EXPECT_TRUE(l) << (l ? "" : l.error().message);
    return l ? *l : lab::Lab{};
  }

  // `entry`: every machine restores it (--boot restore), keyed as the run stage keys it.
  util::Result<RunOutcome> run(const lab::Lab& l, std::optional<launch::StartupEntry> entry = std::nullopt) {
    PreparedRun prepared;
    prepared.accel = {launch::Accel::tcg, "a test", true};
    prepared.qemu_version = "QEMU emulator version 7.2.19";
    for (const auto& m : l.machines) {
      prepared.machines.push_back({&m,
                                   {"debian", tmp() / "bzImage", "sha", {}, "6.1.0-fake", "", {}},
                                   {tmp() / "initrd", "image-key", true},
                                   entry,
                                   ""});
      if (entry) {
        auto& p = prepared.machines.back();
        p.startup->record.key =
            machine_startup_key(restorable_spec(l, p, prepared.accel, settings.qemu_binary, "/elsewhere"), p,
                                prepared.qemu_version);
      }
    }
    RunEnvironment env{
        *store_,  status,
        stop,     clock,
        launcher, [this](const kernel::ResolvedKernel&) {
                         return std::make_unique<FakeEvidence>(evidence); },
        {}};
    return execute_run(l, prepared, settings, env);
  }

  // A guest that says hello at `hello`, runs the one workload of its plan for a second and
  // powers off: done at hello + 2 s, its VM gone at hello + 3 s.
  void behaves(const std::string& machine, std::chrono::milliseconds hello = 1s) {
    launcher.scripts[machine] = [this, hello](FakeVm& vm) {
      clock.at(hello, [&vm] { vm.agent_says(k_hello); });
      clock.at(hello + 1s, [&vm] { vm.agent_says(agent::StepStart{"topology-check"}); });
      clock.at(hello + 2s, [&vm] {
        vm.agent_says(agent::StepEnd{"topology-check",
                                     "pass",
                                     "",
                                     0.5,
                                     {"sysctl kernel.numa_balancing written back to 1"},
                                     {"swap /s still on"}});
        vm.agent_says(agent::Done{});
      });
      clock.at(hello + 3s, [&vm] { vm.exits(0); });
    };
  }

  // A guest that says hello at 0.5 s and works (heartbeats every second) until `until`, then ends.
  void works_until(const std::string& machine, std::chrono::seconds until) {
    launcher.scripts[machine] = [this, until](FakeVm& vm) {
      clock.at(500ms, [&vm] { vm.agent_says(k_hello); });
      clock.at(1s, [&vm] { vm.agent_says(agent::StepStart{"topology-check"}); });
      for (auto s = 1s; s < until; s += 1s)
        clock.at(s + 200ms, [&vm, s] {
          vm.agent_says(agent::Heartbeat{static_cast<std::uint64_t>(s.count()), 0});
        });
      clock.at(until, [&vm] {
        vm.agent_says(agent::StepEnd{"topology-check", "pass", "", 1});
        vm.agent_says(agent::Done{});
      });
      clock.at(until + 1s, [&vm] { vm.exits(0); });
    };
  }

 private:
  std::unique_ptr<util::ScopedTempDir> tmp_;
};

TEST_F(RunStage, AGuestThatRunsItsPlanPassesAndIsStored) {
  behaves("guest");
  const auto l = lab(one_machine_lab());
  auto out = run(l);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->result.verdict, Verdict::pass) << out->result.reason;
  EXPECT_EQ(out->interrupted_by, 0);
  ASSERT_EQ(out->result.workloads.size(), 1u);
  EXPECT_EQ(out->result.workloads[0].verdict, Verdict::pass);
  EXPECT_DOUBLE_EQ(out->result.machines[0].boot_seconds, 1.0);
  EXPECT_EQ(evidence->taken, 0);
  const auto hellos = status.all<MachineHello>();
  ASSERT_EQ(hellos.size(), 1u);
  EXPECT_EQ(hellos[0].release, "6.1.0-fake");
  EXPECT_EQ(status.all<StepStarted>().size(), 1u);
  EXPECT_EQ(status.all<MachinePoweringOff>().size(), 1u);
  auto stored = store_->load_run(out->result.run_id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->verdict, Verdict::pass);
  // What the clean-state contract put back and left is kept with the workload.
  ASSERT_EQ((*stored)->workloads.size(), 1u);
  EXPECT_EQ((*stored)->workloads[0].restored,
            std::vector<std::string>{"sysctl kernel.numa_balancing written back to 1"});
  EXPECT_EQ((*stored)->workloads[0].left, std::vector<std::string>{"swap /s still on"});
  EXPECT_TRUE(std::filesystem::exists(out->result.run_dir + "/summary.json"));
  const auto summary = nlohmann::json::parse(std::ifstream(out->result.run_dir + "/summary.json"));
  EXPECT_EQ(summary["workloads"][0]["left"], nlohmann::json::array({"swap /s still on"}));
}

// A startup cache entry whose guest said k_hello when it was saved.
launch::StartupEntry saved_entry() {
  launch::StartupEntry e;
  e.dir = "/cache/startup/abc";
  e.record.hello = k_hello;
  e.record.boot_seconds = 7.5;
  e.record.created_at = "2026-12-08T00:00:00Z";
  return e;
}

// --boot restore: the restored guest says no hello (it said it before it was saved); the run
// takes the entry's, sends the plan at once with the host's clock, and records the restore.
TEST_F(RunStage, ARestoredMachineGetsItsPlanWithoutAHelloAndIsRecordedAsRestored) {
  std::vector<std::string> heard;
  launcher.scripts["guest"] = [this, &heard](FakeVm& vm) {
    clock.at(500ms, [&vm, &heard] { heard = vm.agent_heard(); });
    clock.at(1s, [&vm] { vm.agent_says(agent::StepStart{"topology-check"}); });
    clock.at(2s, [&vm] {
      vm.agent_says(agent::StepEnd{"topology-check", "pass", "", 0.5});
      vm.agent_says(agent::Done{});
    });
    clock.at(3s, [&vm] { vm.exits(0); });
  };
  const auto l = lab(one_machine_lab());
  auto out = run(l, saved_entry());
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->result.verdict, Verdict::pass) << out->result.reason;
  ASSERT_EQ(launcher.restored.size(), 1u);
  EXPECT_EQ(launcher.restored[0].first, "guest");
  ASSERT_EQ(launcher.specs.size(), 1u);  // no cold boot beside the restore
  EXPECT_TRUE(launcher.specs[0].vmgenid);
  const auto& m = out->result.machines.at(0);
  EXPECT_EQ(m.boot, "restore");
  EXPECT_EQ(m.startup_key, launcher.restored[0].second);
  EXPECT_EQ(m.kernel.release, "6.1.0-fake");  // from the entry's hello
  EXPECT_DOUBLE_EQ(m.boot_seconds, 0.0);      // the fake restore takes no time
  const auto hellos = status.all<MachineHello>();
  ASSERT_EQ(hellos.size(), 1u);
  EXPECT_TRUE(hellos[0].restored);
  ASSERT_FALSE(heard.empty());
  auto plan = agent::decode_plan(heard[0]);
  ASSERT_TRUE(plan) << plan.error();
  ASSERT_TRUE(plan->host_time_ms.has_value());
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_NEAR(static_cast<double>(*plan->host_time_ms), static_cast<double>(now_ms), 60'000.0);
  auto stored = store_->load_run(out->result.run_id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->machines.at(0).boot, "restore");
  EXPECT_EQ((*stored)->machines.at(0).startup_key, m.startup_key);
  const auto summary = nlohmann::json::parse(std::ifstream(out->result.run_dir + "/summary.json"));
  EXPECT_EQ(summary["machines"][0]["boot"], "restore");
}

// A restore that fails (QEMU refuses the saved state) is no verdict on the kernel: the machine
// boots fresh in the same run, and the run says why.
TEST_F(RunStage, ARestoreThatFailsBootsFreshAndSaysWhy) {
  behaves("guest");
  std::vector<std::string> heard;
  auto guest = launcher.scripts["guest"];
  launcher.scripts["guest"] = [this, guest, &heard](FakeVm& vm) {
    guest(vm);
    clock.at(1500ms, [&vm, &heard] { heard = vm.agent_heard(); });
  };
  launcher.restore_failures["guest"] = "QEMU exited while loading the state";
  const auto l = lab(one_machine_lab());
  auto out = run(l, saved_entry());
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->result.verdict, Verdict::pass) << out->result.reason;
  const auto& m = out->result.machines.at(0);
  EXPECT_EQ(m.boot, "fresh");
  EXPECT_NE(m.boot_note.find("QEMU exited while loading the state"), std::string::npos) << m.boot_note;
  EXPECT_FALSE(status.all<MachineHello>().at(0).restored);
  ASSERT_FALSE(heard.empty());
  auto plan = agent::decode_plan(heard.at(0));
  ASSERT_TRUE(plan);
  EXPECT_FALSE(plan->host_time_ms.has_value());  // a fresh guest's clock is the host's already
  auto stored = store_->load_run(out->result.run_id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->machines.at(0).boot_note, m.boot_note);
}

// An entry that does not key to the machine this run would boot (another kernel command line,
// another NIC) is never restored.
TEST_F(RunStage, AnEntryOfAnotherMachineIsNeverRestored) {
  behaves("guest");
  const auto l = lab(one_machine_lab());
  PreparedRun prepared;
  prepared.accel = {launch::Accel::tcg, "a test", true};
  auto entry = saved_entry();
  entry.record.key = "0123456789abcdef01234567";
  prepared.machines.push_back({&l.machines[0],
                               {"debian", tmp() / "bzImage", "sha", {}, "6.1.0-fake", "", {}},
                               {tmp() / "initrd", "image-key", true},
                               entry,
                               ""});
  RunEnvironment env{*store_, status, stop, clock, launcher, nullptr, {}};
  auto out = execute_run(l, prepared, settings, env);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(launcher.restored.empty());
  EXPECT_EQ(out->result.machines.at(0).boot, "fresh");
  EXPECT_NE(out->result.machines.at(0).boot_note.find("0123456789abcdef01234567"), std::string::npos);
}

// A summary.json that cannot be written (here a folder is in its way; a full disk in life) fails
// the command, but the run and its verdict are in the database first.
TEST_F(RunStage, ASummaryThatCannotBeWrittenFailsTheRunAfterStoringIt) {
  behaves("guest");
  std::string run_id;
  status.hook = [&](const StatusEvent& e) {
    if (const auto* started = std::get_if<RunStarted>(&e)) {
      run_id = started->run_id;
      std::filesystem::create_directories(started->dir / "summary.json" / "in-the-way");
    }
  };
  auto out = run(lab(one_machine_lab()));
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("run " + run_id + " is stored in the database, but cannot write "),
            std::string::npos)
      << out.error().message;
  auto stored = store_->load_run(run_id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->verdict, Verdict::pass);
}

TEST_F(RunStage, ThePlanGoesOutAtHello) {
  std::vector<std::string> heard;
  launcher.scripts["guest"] = [&](FakeVm& vm) {
    clock.at(1s, [&vm] { vm.agent_says(k_hello); });
    clock.at(2s, [&] {
      heard = vm.agent_heard();
      vm.exits(0);
    });
  };
  auto out = run(lab(one_machine_lab()));
  ASSERT_TRUE(out);
  ASSERT_EQ(heard.size(), 1u);
  auto plan = agent::decode_plan(heard[0]);
  ASSERT_TRUE(plan) << heard[0];
  ASSERT_EQ(plan->workloads.size(), 1u);
  EXPECT_EQ(plan->workloads[0].name, "topology-check");
}

TEST_F(RunStage, ASilentGuestIsAHangAndItsEvidenceIsTakenBeforeItsVmStops) {
  launcher.scripts["guest"] = [&](FakeVm& vm) { clock.at(1s, [&vm] { vm.agent_says(k_hello); }); };
  const auto concluded_at = conclusion_time();
  auto out = run(lab(one_machine_lab()));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->result.verdict, Verdict::hang);
  EXPECT_EQ(out->result.reason, "guest: no heartbeat from the guest agent for 10 s");
  EXPECT_EQ(evidence->taken, 1);
  EXPECT_EQ(status.all<EvidenceTaken>().size(), 1u);
  ASSERT_TRUE(*concluded_at);
  EXPECT_NEAR(**concluded_at, 11, 0.1) << "the verdict came 10 s after the last sign of life";
}

TEST_F(RunStage, APanicOnTheConsoleIsACrash) {
  launcher.scripts["guest"] = [&](FakeVm& vm) {
    clock.at(1s, [&vm] { vm.agent_says(k_hello); });
    clock.at(
        3s, [&vm] { vm.console_says("[    3.100000] Kernel panic - not syncing: sysrq triggered crash\n"); });
  };
  auto out = run(lab(one_machine_lab()));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->result.verdict, Verdict::crash);
  EXPECT_NE(out->result.reason.find("Kernel panic - not syncing"), std::string::npos) << out->result.reason;
  EXPECT_EQ(evidence->taken, 1);
}

TEST_F(RunStage, AVmThatDoesNotStartIsAnErrorThatSaysWhy) {
  launcher.failures["guest"] = "qemu-system-x86_64: -numa node: bad";
  auto out = run(lab(one_machine_lab()));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->result.verdict, Verdict::error);
  EXPECT_EQ(out->result.reason, "guest: QEMU did not start: qemu-system-x86_64: -numa node: bad");
}

// A machine's evidence (minutes, for a memory dump) does not stop the lab: the other machine is
// served meanwhile and finishes first.
TEST_F(RunStage, OneMachineIsCapturedWhileTheOtherFinishes) {
  behaves("b");
  launcher.scripts["a"] = [&](FakeVm& vm) {
    clock.at(500ms, [&vm] { vm.agent_says(k_hello); });
    clock.at(700ms,
             [&vm] { vm.console_says("[    0.700000] Kernel panic - not syncing: Fatal exception\n"); });
  };
  evidence->hold = true;  // a's capture goes on until b is over
  std::atomic<bool> b_off_during_capture = false;
  status.hook = [&](const StatusEvent& e) {
    if (const auto* off = std::get_if<MachinePoweringOff>(&e); off && off->machine == "b") {
      b_off_during_capture = evidence->hold.load() && evidence->taken == 0;
      clock.at(5s, [&] { evidence->hold = false; });
    }
  };
  auto out = run(lab(two_machine_lab()));
  ASSERT_TRUE(out);
  EXPECT_TRUE(b_off_during_capture) << "b was not served while a's evidence was taken";
  EXPECT_EQ(evidence->taken, 1);
  ASSERT_EQ(out->result.workloads.size(), 2u);
  EXPECT_EQ(out->result.workloads[1].machine, "b");
  EXPECT_EQ(out->result.workloads[1].verdict, Verdict::pass);
  EXPECT_EQ(out->result.verdict, Verdict::crash);
}

TEST_F(RunStage, CtrlCDuringBootStopsEveryVmAndStoresTheRunAsAnError) {
  launcher.scripts["a"] = [&](FakeVm&) { clock.at(500ms, [&] { stop.request(SIGINT); }); };
  auto out = run(lab(two_machine_lab()));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->interrupted_by, SIGINT);
  EXPECT_EQ(out->result.verdict, Verdict::error);
  EXPECT_EQ(out->result.reason, "a: numalab was interrupted (Interrupt)");
  EXPECT_EQ(evidence->taken, 0) << "an interrupt takes no evidence";
  auto stored = store_->load_run(out->result.run_id);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->verdict, Verdict::error);
}

TEST_F(RunStage, CtrlCDuringTheEvidenceCutsItShortAndKeepsTheVerdict) {
  launcher.scripts["guest"] = [&](FakeVm& vm) {
    clock.at(1s, [&vm] { vm.agent_says(k_hello); });
    clock.at(2s, [&vm] { vm.console_says("[    2.000000] Kernel panic - not syncing: Fatal exception\n"); });
  };
  evidence->hold = true;
  evidence->hold_limit = 60s;  // only the interrupt ends it
  status.hook = [&](const StatusEvent& e) {
    if (std::holds_alternative<EvidenceStarted>(e)) stop.request(SIGTERM);
  };
  auto out = run(lab(one_machine_lab()));
  ASSERT_TRUE(out);
  EXPECT_TRUE(evidence->cancelled_seen);
  EXPECT_EQ(out->interrupted_by, SIGTERM);
  EXPECT_EQ(out->result.verdict, Verdict::crash) << "the verdict taken before the interrupt stands";
}

// The kernel's hung-task detector left at its 120 s: numalab calls the hang itself, from the
// agent's reports of a task in D whose context switches do not move.
TEST_F(RunStage, ATaskInDThatDoesNotRunForTheStallWindowIsAHangWithItsStack) {
  launcher.scripts["guest"] = [&](FakeVm& vm) {
    clock.at(500ms, [&vm] { vm.agent_says(k_hello); });
    clock.at(1s, [&vm] { vm.agent_says(agent::StepStart{"topology-check"}); });
    for (int s = 1; s < 200; ++s)
      clock.at(std::chrono::seconds(s) + 200ms, [&vm, s] {
        vm.agent_says(agent::Heartbeat{static_cast<std::uint64_t>(s), 0});
        if (s >= 3)
          vm.agent_says(agent::Blocked{{{60,
                                         60,
                                         "numalab-trigger",
                                         15,
                                         "deadlock_self",
                                         {"__mutex_lock.constprop.0", "deadlock_self"}}}});
      });
  };
  const auto concluded_at = conclusion_time();
  auto out = run(lab(one_machine_lab()));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->result.verdict, Verdict::hang);
  EXPECT_EQ(out->result.reason,
            "guest: task numalab-trigger (pid 60) blocked in D for 60 s without a context switch: in "
            "deadlock_self: __mutex_lock.constprop.0 <- deadlock_self");
  EXPECT_EQ(evidence->taken, 1);
  ASSERT_TRUE(*concluded_at);
  EXPECT_NEAR(**concluded_at, 63.2, 0.1) << "60 s after the first report, at 3.2 s";
  std::ifstream transcript(out->result.run_dir + "/guest/agent.jsonl");
  const std::string text((std::istreambuf_iterator<char>(transcript)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("in D at the verdict: task numalab-trigger (pid 60)"), std::string::npos) << text;
}

// recover_within bounds the time until progress moves again, not the time until the workload ends.
TEST_F(RunStage, ALongWorkloadThatRecoversFromAFaultAndFinishesLateIsNotAHang) {
  const std::string fault =
      "[[fault]]\nkind = \"pause\"\nmachine = \"a\"\nat = \"2s\"\nduration = \"4s\"\nrecover_within = "
      "\"20s\"\n";
  works_until("a", 125s);
  launcher.scripts["b"] = [&](FakeVm& vm) {
    clock.at(500ms, [&vm] { vm.agent_says(k_hello); });
    clock.at(1s, [&vm] { vm.agent_says(agent::StepStart{"topology-check"}); });
    for (int s = 1; s < 120; ++s) {  // b's progress stalls while a is paused (2 s to 6 s) and resumes at 7 s
      const double value = s < 3 ? s : s < 7 ? 3 : s;
      clock.at(std::chrono::seconds(s) + 100ms, [&vm, s, value] {
        vm.agent_says(agent::Heartbeat{static_cast<std::uint64_t>(s), 0});
        vm.agent_says(agent::Sample{"topology-check", "progress.pages_done", static_cast<double>(s), value});
      });
    }
    clock.at(120s, [&vm] {
      vm.agent_says(agent::StepEnd{"topology-check", "pass", "", 119});
      vm.agent_says(agent::Done{});
    });
    clock.at(121s, [&vm] { vm.exits(0); });
  };
  auto out = run(lab(two_machine_lab(fault)));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->result.verdict, Verdict::pass) << out->result.reason;
  ASSERT_EQ(out->result.faults.size(), 1u);
  ASSERT_TRUE(out->result.faults[0].first_progress_after_s);
  EXPECT_NEAR(*out->result.faults[0].first_progress_after_s, 0.6, 0.1);
}

TEST_F(RunStage, AMachineWhoseProgressNeverMovesAgainAfterAFaultIsAHangAtTheBound) {
  settings.limits.stall_timeout = 300s;  // so that the fault's bound decides, not the stall window
  const std::string fault =
      "[[fault]]\nkind = \"pause\"\nmachine = \"a\"\nat = \"2s\"\nduration = \"4s\"\nrecover_within = "
      "\"20s\"\n";
  works_until("a", 60s);
  launcher.scripts["b"] = [&](FakeVm& vm) {
    clock.at(500ms, [&vm] { vm.agent_says(k_hello); });
    clock.at(1s, [&vm] { vm.agent_says(agent::StepStart{"topology-check"}); });
    for (int s = 1; s < 60; ++s)
      clock.at(std::chrono::seconds(s) + 100ms, [&vm, s] {
        vm.agent_says(agent::Heartbeat{static_cast<std::uint64_t>(s), 0});
        vm.agent_says(agent::Sample{"topology-check", "progress.pages_done", static_cast<double>(s),
                                    static_cast<double>(std::min(s, 3))});
      });
  };
  auto out = run(lab(two_machine_lab(fault)));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->result.verdict, Verdict::hang);
  EXPECT_EQ(out->result.reason,
            "b: made no progress within 20.0 s after the pause of machine 'a' ended (no progress counter "
            "moved again)");
  EXPECT_EQ(evidence->taken, 1) << "a hang called by the fault's bound has its evidence too";
}

}  // namespace
}  // namespace numalab::run
