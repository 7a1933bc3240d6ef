// --boot restore before a run (startup_preparation.hpp): each machine's booted guest is found in the
// startup cache, or made once by a cold boot saved at its agent's hello; a guest that never says
// hello makes no entry and its machine boots fresh, saying why. Against the fake launcher.

#include "run/startup_preparation.hpp"

#include <gtest/gtest.h>

#include "run_fakes.hpp"
#include "util/temp_dir.hpp"

namespace numalab::run {
namespace {

using namespace testing;

class StartupPreparation : public ::testing::Test, protected FakeRunParts {
 protected:
  void SetUp() override {
    auto dir = util::ScopedTempDir::create("numalab-startup-prep-");
    ASSERT_TRUE(dir);
    tmp_ = std::make_unique<util::ScopedTempDir>(std::move(*dir));
    settings.qemu_binary = "/bin/echo";  // its --version line stands for QEMU's in the key
    settings.boot = lab::Boot::restore;
    settings.limits.boot_timeout = std::chrono::seconds(5);
    auto l = lab::parse_lab_text(one_machine_lab(), "t.toml");
    ASSERT_TRUE(l) << l.error().message;
    lab_ = *l;
  }
  const std::filesystem::path& tmp() const { return tmp_->path(); }
  launch::StartupCache cache() const { return launch::StartupCache(tmp() / "startup"); }

  PreparedRun prepared(const lab::Lab& l) const {
    PreparedRun p;
    p.accel = {launch::Accel::tcg, "a test", true};
    for (const auto& m : l.machines)
      p.machines.push_back({&m,
                            {"debian", "/k/bzImage", "kernel-sha", {}, "6.1.0-fake", "", {}},
                            {"/i/initrd", "image-key", true},
                            std::nullopt,
                            ""});
    return p;
  }

  // A guest that says hello as soon as it starts; its QEMU completes a migration it is asked for.
  void says_hello_and_saves() {
    launcher.scripts["guest"] = [](FakeVm& vm) {
      vm.agent_says(k_hello);
      vm.qmp_transport->events_after["migrate"] = {{"event", "MIGRATION"},
                                                   {"data", {{"status", "completed"}}}};
    };
  }

  lab::Lab lab_;

 private:
  std::unique_ptr<util::ScopedTempDir> tmp_;
};

TEST_F(StartupPreparation, AGuestIsBootedOnceSavedAtItsHelloAndRestoredFromThenOn) {
  says_hello_and_saves();
  auto run = prepared(lab_);
  ASSERT_TRUE(prepare_startup(lab_, run, settings, cache(), launcher, stop, status));
  const auto& p = run.machines[0];
  ASSERT_TRUE(p.startup.has_value()) << p.fresh_because;
  EXPECT_TRUE(p.fresh_because.empty());
  EXPECT_EQ(p.startup->record.hello, k_hello);
  EXPECT_EQ(p.startup->record.kernel_sha256, "kernel-sha");
  EXPECT_EQ(p.startup->record.key,
            machine_startup_key(restorable_spec(lab_, p, run.accel, settings.qemu_binary, "/x"), p,
                                run.qemu_version));
  // The cold boot kept its RAM in the draft's files (shared), with a VM generation ID device.
  ASSERT_EQ(launcher.specs.size(), 1u);
  ASSERT_TRUE(launcher.specs[0].ram_files.has_value());
  EXPECT_FALSE(launcher.specs[0].ram_files->copy_on_write);
  EXPECT_TRUE(launcher.specs[0].vmgenid);
  const auto& commands = launcher.vms.at("guest")->qmp_transport->commands;
  EXPECT_NE(std::find(commands.begin(), commands.end(), "migrate"), commands.end());
  EXPECT_EQ(launcher.left_running(), 0);
  EXPECT_TRUE(cache().find(p.startup->record.key).has_value());

  // The next preparation finds it and boots nothing.
  auto again = prepared(lab_);
  ASSERT_TRUE(prepare_startup(lab_, again, settings, cache(), launcher, stop, status));
  ASSERT_TRUE(again.machines[0].startup.has_value());
  EXPECT_EQ(again.machines[0].startup->record.key, p.startup->record.key);
  EXPECT_EQ(launcher.specs.size(), 1u);
}

TEST_F(StartupPreparation, AChangedKernelCommandLineIsAnotherEntry) {
  says_hello_and_saves();
  auto run = prepared(lab_);
  ASSERT_TRUE(prepare_startup(lab_, run, settings, cache(), launcher, stop, status));
  auto other = lab_;
  other.machines[0].cmdline.push_back("numa_balancing=disable");
  auto run2 = prepared(other);
  ASSERT_TRUE(prepare_startup(other, run2, settings, cache(), launcher, stop, status));
  ASSERT_TRUE(run.machines[0].startup && run2.machines[0].startup);
  EXPECT_NE(run.machines[0].startup->record.key, run2.machines[0].startup->record.key);
  EXPECT_EQ(launcher.specs.size(), 2u);
  EXPECT_EQ(cache().list().size(), 2u);
}

TEST_F(StartupPreparation, AGuestThatNeverSaysHelloMakesNoEntryAndBootsFreshSayingWhy) {
  launcher.scripts["guest"] = [](FakeVm& vm) {
    vm.console_says("Kernel panic - not syncing: VFS: Unable to mount root fs\n");
    vm.exits(1);
  };
  auto run = prepared(lab_);
  ASSERT_TRUE(prepare_startup(lab_, run, settings, cache(), launcher, stop, status));
  const auto& p = run.machines[0];
  EXPECT_FALSE(p.startup.has_value());
  EXPECT_NE(p.fresh_because.find("QEMU ended before the agent's hello"), std::string::npos)
      << p.fresh_because;
  EXPECT_TRUE(cache().list().empty());
  // No draft is left behind: only the (empty) cache folder.
  EXPECT_TRUE(std::filesystem::is_empty(tmp() / "startup"));
}

TEST_F(StartupPreparation, CtrlCWhileTheGuestBootsStopsItAndKeepsNothing) {
  launcher.scripts["guest"] = [this](FakeVm&) { stop.request(); };
  auto run = prepared(lab_);
  auto ok = prepare_startup(lab_, run, settings, cache(), launcher, stop, status);
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().kind, util::ErrorKind::interrupted);
  EXPECT_EQ(launcher.left_running(), 0);
  EXPECT_TRUE(cache().list().empty());
}

TEST_F(StartupPreparation, BootFreshPreparesNothing) {
  settings.boot = lab::Boot::fresh;
  auto run = prepared(lab_);
  ASSERT_TRUE(prepare_startup(lab_, run, settings, cache(), launcher, stop, status));
  EXPECT_FALSE(run.machines[0].startup.has_value());
  EXPECT_TRUE(launcher.specs.empty());
}

TEST(BootOf, TheCommandLineOverridesTheLabWhichOverridesFresh) {
  lab::Lab l;
  RunSettings s;
  EXPECT_EQ(boot_of(l, s), lab::Boot::fresh);
  l.boot = lab::Boot::restore;
  EXPECT_EQ(boot_of(l, s), lab::Boot::restore);
  s.boot = lab::Boot::fresh;
  EXPECT_EQ(boot_of(l, s), lab::Boot::fresh);
}

// A compare boots fresh: --boot restore is refused saying why, a lab's boot = "restore" is set aside
// with a note, and a compare that asks nothing hears nothing.
TEST(BootFreshForCompare, RestoresAreRefusedOrSetAsideWithTheReason) {
  lab::Lab l;
  RunSettings s;
  auto quiet = boot_fresh_for_compare(l, s);
  ASSERT_TRUE(quiet);
  EXPECT_TRUE(quiet->empty());

  s.boot = lab::Boot::restore;
  auto refused = boot_fresh_for_compare(l, s);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, util::ErrorKind::bad_input);
  EXPECT_NE(refused.error().message.find("share one boot per kernel"), std::string::npos);
  EXPECT_NE(refused.error().message.find("run and repro take --boot restore"), std::string::npos);

  RunSettings from_lab;
  l.boot = lab::Boot::restore;
  auto note = boot_fresh_for_compare(l, from_lab);
  ASSERT_TRUE(note);
  EXPECT_NE(note->find("this compare boots every run fresh"), std::string::npos) << *note;
  EXPECT_EQ(boot_of(l, from_lab), lab::Boot::fresh);

  RunSettings explicit_fresh;
  explicit_fresh.boot = lab::Boot::fresh;
  auto fresh = boot_fresh_for_compare(l, explicit_fresh);
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(fresh->empty());
}

}  // namespace
}  // namespace numalab::run
