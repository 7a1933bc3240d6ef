#pragma once
// A compare of a one-machine lab (topology-check) on two kernels, "base" and "patched", repeated
// twice, against the run stage's fakes: every guest boots at 1 s and powers off at 4 s.

#include <gtest/gtest.h>

#include <fstream>

#include "report/compare_loading.hpp"
#include "run/compare_runner.hpp"
#include "run_fakes.hpp"
#include "util/sha256.hpp"
#include "util/temp_dir.hpp"

namespace numalab::run::testing {

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
    req.resume = std::move(resume);
    req.limits = limits;
    RunEnvironment env{
        *store_,
        status,
        stop,
        clock,
        launcher,
        [this](const kernel::ResolvedKernel&) { return std::make_unique<FakeEvidence>(evidence); },
        [this](const lab::Lab& l, const LabKernels& kernels) -> util::Result<PreparedRun> {
          PreparedRun p{{}, {launch::Accel::tcg, "a test", true}, ""};
          for (const auto& m : l.machines)
            p.machines.push_back(
                {&m, kernels.at(m.name), {tmp() / "initrd", "image-key", true}, std::nullopt, ""});
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
  PoolLimits limits;  // by default one run at a time: a host of one core
  std::map<std::string, int> resolved;
  std::function<void(const std::string&)> resolve_hook;

 private:
  std::unique_ptr<util::ScopedTempDir> tmp_;
};

}  // namespace numalab::run::testing
