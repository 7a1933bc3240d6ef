// numalab compare's loop (run/compare_runner.hpp) against fakes: kernels resolved once and handed
// forward, an image that changes under a compare, and Ctrl-C at every stage of a compare: each
// time the compare says it was interrupted, keeps the runs it finished, leaves no VM running, and
// a resume finishes it without running a finished run again.

#include "run/compare_runner.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "compare_runner_fixture.hpp"

namespace numalab::run {
namespace {

using namespace testing;

TEST_F(CompareRunner, EachKernelIsResolvedOnceAndEveryRunBootsWhatTheCompareRecorded) {
  auto out = compare();
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->interrupted_by, 0);
  EXPECT_TRUE(out->report.complete);
  EXPECT_EQ(resolved, (std::map<std::string, int>{{"base", 1}, {"patched", 1}}));
  const auto sha_base = *util::sha256_file(tmp() / "base");
  const auto sha_patched = *util::sha256_file(tmp() / "patched");
  EXPECT_EQ(booted(out->report), (std::vector<std::string>{sha_base, sha_patched, sha_base, sha_patched}));
  EXPECT_EQ(out->report.kernels.at(1).sha256, sha_patched);
}

TEST_F(CompareRunner, AnImageThatChangesUnderTheCompareStopsItSayingWhy) {
  status.hook = [&](const StatusEvent& e) {
    if (const auto* ended = std::get_if<CompareRunEnded>(&e); ended && ended->run.done == 1)
      std::ofstream(tmp() / "patched") << "rebuilt from a changed series";
  };
  auto out = compare();
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("kernel patched: its image " + (tmp() / "patched").string() +
                                     " changed since the compare resolved it"),
            std::string::npos)
      << out.error().message;
  EXPECT_EQ(resolved["patched"], 1) << "never resolved again by name";
}

// Ctrl-C at a stage of the compare (the status event on which it is pressed).
struct Moment {
  std::string name;
  std::function<bool(const StatusEvent&)> at;
  int runs_kept;  // finished runs the interrupted compare keeps
};

class CompareInterrupted : public CompareRunner, public ::testing::WithParamInterface<Moment> {};

TEST_P(CompareInterrupted, SaysSoKeepsItsRunsLeavesNoVmAndResumes) {
  bool pressed = false;
  status.hook = [&](const StatusEvent& e) {
    if (!pressed && GetParam().at(e)) {
      pressed = true;
      stop.request(SIGINT);
    }
  };
  auto out = compare();
  ASSERT_TRUE(pressed);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->interrupted_by, SIGINT);
  EXPECT_FALSE(out->report.complete);
  EXPECT_EQ(finished(out->report), GetParam().runs_kept);
  EXPECT_EQ(launcher.left_running(), 0) << "a VM was left running";

  // Resumed: the missing runs only, each kernel resolved once more (and checked against the
  // recorded image), and the compare complete.
  status.hook = nullptr;
  stop.reset();
  const auto started_before = status.all<CompareRunStarting>().size();
  auto resumed = compare(out->report.compare_id);
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_TRUE(resumed->report.complete);
  EXPECT_EQ(finished(resumed->report), 4);
  EXPECT_EQ(status.all<CompareRunStarting>().size() - started_before, 4u - GetParam().runs_kept)
      << "a finished run ran again";
  EXPECT_EQ(launcher.left_running(), 0);
}

bool is_compare_start(const StatusEvent& e, int done) {
  const auto* s = std::get_if<CompareRunStarting>(&e);
  return s && s->run.done == done;
}

INSTANTIATE_TEST_SUITE_P(
    AtEveryStage, CompareInterrupted,
    ::testing::Values(
        Moment{"BeforeTheFirstBoot", [](const StatusEvent& e) { return is_compare_start(e, 0); }, 0},
        Moment{"DuringBoot", [](const StatusEvent& e) { return std::holds_alternative<MachineBooting>(e); },
               0},
        Moment{"DuringAWorkload", [](const StatusEvent& e) { return std::holds_alternative<StepStarted>(e); },
               0},
        Moment{"RightAfterARunWasStored",
               [](const StatusEvent& e) { return std::holds_alternative<RunFinished>(e); }, 1},
        Moment{"BetweenRuns", [](const StatusEvent& e) { return is_compare_start(e, 2); }, 2}),
    [](const auto& param_info) { return param_info.param.name; });

TEST_F(CompareRunner, CtrlCDuringAKernelBuildStoresNothingAndSaysSo) {
  resolve_hook = [&](const std::string& name) {
    if (name == "patched") stop.request(SIGINT);
  };
  auto out = compare();
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().kind, util::ErrorKind::interrupted);
  auto compares = store_->list_compares(10);
  ASSERT_TRUE(compares);
  EXPECT_TRUE(compares->empty())
      << "a compare interrupted before its plan was stored leaves nothing to resume";
  EXPECT_EQ(launcher.specs.size(), 0u) << "no VM started";
}

}  // namespace
}  // namespace numalab::run
