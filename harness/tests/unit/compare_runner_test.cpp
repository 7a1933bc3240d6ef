// numalab compare's loop (run/compare_runner.hpp) against fakes: kernels resolved once and handed
// forward, an image that changes under a compare, and Ctrl-C at every stage of a compare: each
// time the compare says it was interrupted, keeps the runs it finished, leaves no VM running, and
// a resume finishes it without running a finished run again.

#include "run/compare_runner.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "report/compare_loading.hpp"
#include "run_fakes.hpp"
#include "util/sha256.hpp"
#include "util/temp_dir.hpp"

namespace numalab::run {
namespace {

using namespace testing;
using result::Verdict;

class CompareRunner : public ::testing::Test, protected FakeRunParts {
 protected:
  void SetUp() override {
    auto dir = util::ScopedTempDir::create("numalab-compare-runner-");
    ASSERT_TRUE(dir);
    tmp_ = std::make_unique<util::ScopedTempDir>(std::move(*dir));
    std::ofstream(tmp() / "lab.toml") << one_machine_lab();
    auto l = lab::parse_lab_file(tmp() / "lab.toml");
    ASSERT_TRUE(l) << l.error().message;
    lab_ = *l;
    for (const char* k : {"base", "patched"}) std::ofstream(tmp() / k) << "the image of " << k;
    auto store = store::ResultsStore::open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    settings.results_dir = tmp() / "results";
    // Every guest boots at 1 s, runs its workload and powers off at 3 s; a run is 4 s.
    launcher.scripts["guest"] = [this](FakeVm& vm) {
      const auto t = clock.now() - FakeClock::k_epoch;
      const auto at = std::chrono::duration_cast<std::chrono::milliseconds>(t);
      clock.at(at + 1s, [&vm] { vm.agent_says(k_hello); });
      clock.at(at + 2s, [&vm] { vm.agent_says(agent::StepStart{"topology-check"}); });
      clock.at(at + 3s, [&vm] {
        vm.agent_says(agent::StepEnd{"topology-check", "pass", "", 1});
        vm.agent_says(agent::Done{});
      });
      clock.at(at + 4s, [&vm] { vm.exits(0); });
    };
  }
  std::filesystem::path tmp() const { return tmp_->path(); }

  KernelResolver resolver() {
    return [this](const std::string& name) -> util::Result<kernel::ResolvedKernel> {
      ++resolved[name];
      if (resolve_hook) resolve_hook(name);
      if (stop.requested())
        return util::fail(util::ErrorKind::interrupted, "the build of " + name + " was interrupted");
      const auto image = tmp() / name;
      auto sha = util::sha256_file(image);
      if (!sha) return std::unexpected(sha.error());
      return kernel::ResolvedKernel{name, image, *sha, {}, "6.1.0-" + name, "", {}};
    };
  }

  util::Result<CompareOutcome> compare(std::optional<std::string> resume = std::nullopt) {
    CompareRequest req;
    req.kernels = {"base", "patched"};
    req.repeat = 2;
    req.resume = resume;
    RunEnvironment env{
        *store_,
        status,
        stop,
        clock,
        launcher,
        [this](const kernel::ResolvedKernel&) { return std::make_unique<FakeEvidence>(evidence); },
        [this](const lab::Lab& l, const LabKernels& kernels) -> util::Result<PreparedRun> {
          PreparedRun p{{}, {launch::Accel::tcg, "a test", true}};
          for (const auto& m : l.machines)
            p.machines.push_back({&m, kernels.at(m.name), {tmp() / "initrd", "image-key", true}});
          return p;
        }};
    return run_compare(lab_, req, settings, env, resolver());
  }

  // The kernels (sha256) the finished runs of a compare booted, in plan order.
  std::vector<std::string> booted(const report::CompareReport& r) {
    std::vector<std::string> out;
    for (const auto& run : r.runs)
      if (run.result) out.push_back(run.result->machines.at(0).kernel.sha256);
    return out;
  }
  int finished(const report::CompareReport& r) { return static_cast<int>(booted(r).size()); }

  lab::Lab lab_;
  std::map<std::string, int> resolved;
  std::function<void(const std::string&)> resolve_hook;

 private:
  std::unique_ptr<util::ScopedTempDir> tmp_;
};

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
