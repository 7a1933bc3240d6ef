// Several runs at once (run/run_pool.hpp): what fits beside what, a compare's repetitions side by
// side when the host has room for a slot and one at a time (saying why) when it has not, Ctrl-C with
// two runs under way, and a repro that reproduced while another run was still going.

#include "run/run_pool.hpp"

#include <gtest/gtest.h>

#include "compare_runner_fixture.hpp"
#include "run/repro_runner.hpp"
#include "run/run_preparation.hpp"

namespace numalab::run {
namespace {

using namespace testing;
using result::Verdict;

constexpr std::uint64_t k_gib = 1ULL << 30;

PoolLimits host(int cores, std::uint64_t memory, int jobs = 0, bool oversubscribe = false) {
  return {jobs, oversubscribe, {cores, memory}};
}

TEST(RunPoolFits, ARunAlwaysStartsWhenNothingRunsEvenLargerThanTheHost) {
  EXPECT_TRUE(fits(0, {}, 1, {64, 512 * k_gib}, host(2, 8 * k_gib)));
}

TEST(RunPoolFits, BesideOthersByCoresAndMemory) {
  const RunCost one{2, 2 * k_gib};
  EXPECT_TRUE(fits(1, one, 1, one, host(4, 4 * k_gib)));
  EXPECT_FALSE(fits(1, one, 1, one, host(3, 4 * k_gib))) << "5 vCPU threads on 4 cores";
  EXPECT_FALSE(fits(1, one, 1, one, host(4, 4 * k_gib - 1))) << "memory";
  EXPECT_FALSE(fits(1, one, 1, one, host(64, 64 * k_gib, 1))) << "--jobs 1";
  EXPECT_FALSE(fits(2, {4, 4 * k_gib}, 1, one, host(64, 64 * k_gib, 2))) << "--jobs 2";
}

TEST(RunPoolFits, OversubscribeIgnoresTheHostButNotJobs) {
  const RunCost one{4, 2 * k_gib};
  EXPECT_TRUE(fits(1, one, 1, one, host(2, 1 * k_gib, 2, true)));
  EXPECT_FALSE(fits(2, {8, 4 * k_gib}, 1, one, host(2, 1 * k_gib, 2, true)));
}

TEST(RunPoolFits, SaysWhyASlotCannotRunSideBySide) {
  EXPECT_EQ(why_not_side_by_side(2, {2, k_gib}, host(2, 8 * k_gib)), "");
  EXPECT_EQ(why_not_side_by_side(2, {8, k_gib}, host(2, 8 * k_gib)),
            "2 runs need 8 vCPU threads and this host has 2 cores (--oversubscribe runs them anyway)");
  EXPECT_EQ(why_not_side_by_side(3, {3, k_gib}, host(8, 8 * k_gib, 2)), "--jobs 2 is fewer than 3 runs");
  EXPECT_NE(why_not_side_by_side(2, {2, 9 * k_gib}, host(8, 8 * k_gib)).find("9.0 GiB of memory"),
            std::string::npos);
}

TEST(RunPoolCost, EveryMachinesVcpusAndMemoryWithQemusOwn) {
  lab::Machine a, b;
  a.nodes.resize(2);
  a.nodes[0].cpus = {0, 1};
  a.nodes[1].cpus = {2, 3};
  a.nodes[0].memory_bytes = a.nodes[1].memory_bytes = 512ULL << 20;
  b.nodes.resize(1);
  b.nodes[0].cpus = {0};
  b.nodes[0].memory_bytes = 256ULL << 20;
  PreparedRun p;
  p.machines = {{&a, {}, {}, std::nullopt, ""}, {&b, {}, {}, std::nullopt, ""}};
  const auto c = cost_of(p);
  EXPECT_EQ(c.vcpus, 5);
  EXPECT_EQ(c.memory_bytes, (1280ULL << 20) + 2 * k_qemu_overhead_bytes);
}

// The lab of the compare fixture: one machine of one vCPU and 256 MiB.
class RunsAtOnce : public CompareRunner {
 protected:
  // Every VM alive at each launcher start, and the most at once.
  int most_at_once() {
    int most = 0, now = 0;
    for (const auto& e : status.events) {
      if (std::holds_alternative<RunStarted>(e)) most = std::max(most, ++now);
      if (std::holds_alternative<RunFinished>(e)) --now;
    }
    return most;
  }
};

TEST_F(RunsAtOnce, ACompareRunsEachRepetitionsKernelsSideBySideWhenTheHostHoldsThem) {
  limits = host(2, 8 * k_gib);
  auto out = compare();
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->report.complete);
  EXPECT_EQ(finished(out->report), 4);
  EXPECT_EQ(most_at_once(), 2);
  // Both runs of a repetition start at the same (fake) moment; the next repetition after them.
  const auto starts = status.all<CompareRunStarting>();
  ASSERT_EQ(starts.size(), 4u);
  EXPECT_EQ(starts[0].run.repetition, 1);
  EXPECT_EQ(starts[1].run.repetition, 1);
  EXPECT_EQ(starts[1].run.running, 2);
  EXPECT_EQ(starts[0].run.elapsed_s, starts[1].run.elapsed_s);
  EXPECT_GT(starts[2].run.elapsed_s, starts[1].run.elapsed_s);
  EXPECT_EQ(starts[2].run.repetition, 2);
  const auto notes = status.all<Note>();
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes.back().text.find("side by side"), std::string::npos);
  EXPECT_TRUE(out->report.options.side_by_side) << "recorded with the compare";
  EXPECT_EQ(out->report.options.blocking_used(), compare::Blocking::slot);
  EXPECT_EQ(launcher.left_running(), 0);
}

TEST_F(RunsAtOnce, TwiceTheSlotsRoomRunsTwoRepetitionsAtOnce) {
  limits = host(4, 8 * k_gib);
  auto out = compare();
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(finished(out->report), 4);
  EXPECT_EQ(most_at_once(), 4);
}

TEST_F(RunsAtOnce, AHostWithoutRoomForASlotRunsOneAtATimeAndSaysWhy) {
  limits = host(1, 8 * k_gib, 2);
  auto out = compare();
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(finished(out->report), 4);
  EXPECT_EQ(most_at_once(), 1);
  EXPECT_FALSE(out->report.options.side_by_side);
  const auto notes = status.all<Note>();
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes.back().text,
            "runs one at a time: 2 runs need 2 vCPU threads and this host has 1 core (--oversubscribe runs "
            "them anyway)");
}

TEST_F(RunsAtOnce, OversubscribedOnRequest) {
  limits = host(1, 0, 2, true);
  auto out = compare();
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(most_at_once(), 2);
  // Saying what oversubscribing costs a guest kernel's timer-driven work.
  const auto notes = status.all<Note>();
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(
      notes.back().text.find("runs side by side: one repetition of each of the 2 kernels at a time; 2 vCPU "
                             "threads on 1 core (--oversubscribe)"),
      std::string::npos)
      << notes.back().text;
}

TEST_F(RunsAtOnce, ASlotWithinTheHostsCoresSaysNothingOfOversubscribing) {
  limits = host(2, 8 * k_gib);
  auto out = compare();
  ASSERT_TRUE(out) << out.error().message;
  const auto notes = status.all<Note>();
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes.back().text, "runs side by side: one repetition of each of the 2 kernels at a time");
}

TEST_F(RunsAtOnce, CtrlCWithTwoRunsUnderWayStopsBothStoresThemAndResumes) {
  limits = host(2, 8 * k_gib);
  clock.at(2500ms, [this] { stop.request(SIGINT); });
  auto out = compare();
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->interrupted_by, SIGINT);
  EXPECT_EQ(finished(out->report), 0) << "an interrupted run is not a result";
  EXPECT_EQ(launcher.left_running(), 0) << "a VM was left running";
  const auto finished_runs = status.all<RunFinished>();
  ASSERT_EQ(finished_runs.size(), 2u) << "both interrupted runs are stored";
  for (const auto& f : finished_runs) EXPECT_EQ(f.verdict, Verdict::error);
  EXPECT_EQ(status.all<RunInterrupted>().size(), 1u);

  stop.reset();
  auto resumed = compare(out->report.compare_id);
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_TRUE(resumed->report.complete);
  EXPECT_EQ(finished(resumed->report), 4);
  EXPECT_EQ(launcher.left_running(), 0);
}

TEST_F(RunsAtOnce, AReproThatReproducedStartsNoMoreRunsButFinishesThoseUnderWay) {
  // Every run's workload fails (the bundled verdict), so the first run to end reproduces it.
  launcher.scripts["guest"] = [this](FakeVm& vm) {
    const auto at = std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - FakeClock::k_epoch);
    clock.at(at + 1s, [&vm] { vm.agent_says(k_hello); });
    clock.at(at + 2s, [&vm] { vm.agent_says(agent::StepStart{"topology-check"}); });
    clock.at(at + 3s, [&vm] {
      vm.agent_says(agent::StepEnd{"topology-check", "fail", "node 1 is missing", 1});
      vm.agent_says(agent::Done{});
    });
    clock.at(at + 4s, [&vm] { vm.exits(0); });
  };
  RunEnvironment env{
      *store_,
      status,
      stop,
      clock,
      launcher,
      nullptr,
      [this](const lab::Lab& l, const LabKernels& kernels) -> util::Result<PreparedRun> {
        PreparedRun p{{}, {launch::Accel::tcg, "a test", true}, ""};
        for (const auto& m : l.machines)
          p.machines.push_back({&m, kernels.at(m.name), {tmp() / "initrd", "key", true}, std::nullopt, ""});
        return p;
      }};
  const auto k = resolver()("base");
  ASSERT_TRUE(k);
  ReproRequest req{Verdict::fail, 10, true, host(2, 8 * k_gib)};
  auto out = run_repro(lab_, same_kernel_everywhere(lab_, *k), req, settings, env);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->done, 2) << "the run started beside the first still counts";
  EXPECT_EQ(out->hits, 2);
  EXPECT_EQ(launcher.specs.size(), 2u) << "nothing started after the reproduction";
  EXPECT_EQ(launcher.left_running(), 0);
}

}  // namespace
}  // namespace numalab::run
