// A reproducer bundle of a fake run folder and kernel cache in a temporary folder: which files go
// in with and without --with-dump / --with-kernel, the archive round trip, what unpacking refuses,
// and the lab a reproduction runs.

#include "bundle/bundle_contents.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "bundle/bundle_archive.hpp"
#include "bundle/repro_lab.hpp"
#include "kernel/patch_series.hpp"
#include "util/child_process.hpp"
#include "util/temp_dir.hpp"

namespace numalab::bundle {
namespace {

const char* k_lab = R"(name = "panic"
[kernel.patched]
base = "debian-6.1"
series = "patches/p"
config = ["numa-lab"]
cmdline = ["hung_task_timeout_secs=5"]
[[machine]]
name = "guest"
kernel = "patched"
  [[machine.node]]
  cpus = [0]
  memory = "512M"
[[workload]]
name = "trigger"
machine = "guest"
action = "panic"
)";

const char* k_console =
    "[    5.355040] sysrq: Trigger a crash\n"
    "[    5.355040] Kernel panic - not syncing: sysrq triggered crash\n"
    "[    5.355041] CPU: 0 PID: 77 Comm: init Not tainted 6.1.0 #1\n";

class BundleContents : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = util::ScopedTempDir::create("numalab-bundle-test-");
    ASSERT_TRUE(d);
    tmp_ = std::make_unique<util::ScopedTempDir>(std::move(*d));
    // The project: lab/panic.toml, patches/p, kernels/numa-lab.config.
    write("project/lab/panic.toml", k_lab);
    write("project/patches/p/series", "0001-x.patch\n");
    write("project/patches/p/0001-x.patch", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");
    write("project/kernels/numa-lab.config", "CONFIG_NUMA=y\n");
    // The kernel cache's build of [kernel.patched].
    auto series = kernel::load_patch_series(path("project/patches/p"));
    ASSERT_TRUE(series) << series.error().message;
    const std::string key = "0123456789abcdef01234567";
    write("cache/kernels/built/" + key + "/bzImage", "bzImage bytes");
    write("cache/kernels/built/" + key + "/config", "CONFIG_NUMA=y\nCONFIG_SMP=y\n");
    write("cache/kernels/built/" + key + "/meta.json",
          nlohmann::json{{"name", "patched"},
                         {"key", key},
                         {"base", "debian linux-source-6.1 6.1.192-2"},
                         {"series", "patches/p"},
                         {"series_hash", series->content_hash()},
                         {"config", {"numa-lab"}}}
              .dump());
    // The run folder of a crash.
    write("results/runs/0007/lab.toml", k_lab);
    write("results/runs/0007/summary.json", "{}\n");
    for (const char* f : {"qemu-argv.json", "capture.json", "hang-report.txt", "vmcore", "vmlinux"})
      write(std::string("results/runs/0007/guest/") + f, f);
    write("results/runs/0007/guest/console.log", k_console);
    write("results/runs/0007/guest/agent.jsonl",
          R"({"at":17.0,"dir":"in","line":"{\"t\":\"log\",\"text\":\"hog: seed 987654321\"}"})"
          "\n");
    run_.run_id = "0007";
    run_.lab = "panic";
    run_.lab_file = path("project/lab/panic.toml").string();
    run_.verdict = result::Verdict::crash;
    run_.reason = "guest: kernel panic";
    run_.run_dir = path("results/runs/0007").string();
    run_.machines.push_back({});
    run_.machines.back().name = "guest";
    run_.machines.back().kernel = {"patched", "6.1.192", "ab12",
                                   path("cache/kernels/built/" + key + "/bzImage").string()};
  }

  std::filesystem::path path(const std::string& rel) const { return tmp_->path() / rel; }
  void write(const std::string& rel, const std::string& text) {
    std::filesystem::create_directories(path(rel).parent_path());
    std::ofstream(path(rel)) << text;
  }

  BundlePlan plan(bool with_dump, bool with_kernel) {
    auto p = plan_bundle({run_, with_dump, with_kernel, "0.1.0", "2026-11-22T14:00:00Z"});
    EXPECT_TRUE(p) << (p ? "" : p.error().message);
    return p ? std::move(*p) : BundlePlan{};
  }

  static std::set<std::string> names(const BundlePlan& p) {
    std::set<std::string> out;
    for (const auto& e : p.entries) out.insert(e.name);
    return out;
  }

  static const BundleEntry& entry(const BundlePlan& p, const std::string& name) {
    auto it = std::find_if(p.entries.begin(), p.entries.end(), [&](const auto& e) { return e.name == name; });
    EXPECT_NE(it, p.entries.end()) << name;
    return *it;
  }

  std::unique_ptr<util::ScopedTempDir> tmp_;
  result::RunResult run_;
};

TEST_F(BundleContents, WithoutFlagsHasTheEvidenceButNoDumpOrImage) {
  const auto p = plan(false, false);
  const std::set<std::string> expected = {"bundle.json",
                                          "lab.toml",
                                          "summary.json",
                                          "seeds.json",
                                          "patches/patched/series",
                                          "patches/patched/0001-x.patch",
                                          "kernels/numa-lab.config",
                                          "machines/guest/kernel.json",
                                          "machines/guest/kernel.config",
                                          "machines/guest/qemu-argv.json",
                                          "machines/guest/agent.jsonl",
                                          "machines/guest/console.log",
                                          "machines/guest/reports.json",
                                          "machines/guest/capture.json",
                                          "machines/guest/hang-report.txt"};
  EXPECT_EQ(names(p), expected);
  EXPECT_EQ(p.entries.back().name, "bundle.json");
  EXPECT_TRUE(p.manifest.notes.empty()) << p.manifest.notes.front();
}

TEST_F(BundleContents, FlagsAddTheDumpAndTheKernelImage) {
  const auto p = plan(true, true);
  for (const char* n : {"machines/guest/vmcore", "machines/guest/vmlinux", "machines/guest/bzImage"})
    EXPECT_TRUE(names(p).contains(n)) << n;
  EXPECT_EQ(entry(p, "machines/guest/bzImage").source, run_.machines[0].kernel.path);
  EXPECT_EQ(p.manifest.machines.at(0).kernel.image, "machines/guest/bzImage");
  EXPECT_EQ(plan(true, false).manifest.machines.at(0).kernel.image, "");
}

TEST_F(BundleContents, ManifestHasTheKernelsBuildRecordAndTheClassifiedReports) {
  const auto p = plan(false, false);
  const auto& m = p.manifest;
  EXPECT_EQ(m.run_id, "0007");
  EXPECT_EQ(m.verdict, "crash");
  EXPECT_EQ(m.reason, "guest: kernel panic");
  EXPECT_EQ(m.numalab_version, "0.1.0");
  const auto& k = m.machines.at(0).kernel;
  EXPECT_EQ(k.cache_key, "0123456789abcdef01234567");
  EXPECT_EQ(k.base, "debian linux-source-6.1 6.1.192-2");
  EXPECT_EQ(k.config, std::vector<std::string>{"numa-lab"});
  ASSERT_EQ(m.series.size(), 1u);
  EXPECT_EQ(m.series[0].entry, "patches/patched");
  EXPECT_TRUE(m.series[0].matches_build);
  EXPECT_EQ(m.files.size(), p.entries.size() - 1);  // all but bundle.json itself
  const auto manifest = nlohmann::json::parse(entry(p, "bundle.json").text);
  EXPECT_EQ(manifest["run_id"], "0007");
  const auto reports = nlohmann::json::parse(entry(p, "machines/guest/reports.json").text);
  ASSERT_EQ(reports.size(), 1u) << reports.dump();
  EXPECT_EQ(reports[0]["kind"], "panic");
  const auto seeds = nlohmann::json::parse(entry(p, "seeds.json").text);
  ASSERT_EQ(seeds.size(), 1u);
  EXPECT_EQ(seeds[0]["seed"], "987654321");
}

TEST_F(BundleContents, SaysWhatIsMissingAndFailsOnlyWithoutARunFolder) {
  std::filesystem::remove_all(path("project/patches/p"));
  std::filesystem::remove(path("results/runs/0007/guest/vmcore"));
  const auto p = plan(true, false);
  EXPECT_FALSE(names(p).contains("patches/patched/series"));
  EXPECT_EQ(p.manifest.notes.size(), 2u);
  std::filesystem::remove_all(path("results/runs/0007"));
  auto gone = plan_bundle({run_, false, false, "0.1.0", ""});
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, util::ErrorKind::bad_input);
}

TEST_F(BundleContents, ArchiveRoundTripsAndReproLabBootsTheBundledImage) {
  const auto p = plan(false, true);
  const auto archive = path("out/run-0007.tar.gz");
  auto bytes = write_bundle_archive(p.entries, bundle_folder_name("0007"), archive);
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_GT(*bytes, 0u);
  auto listed = list_bundle_archive(archive);
  ASSERT_TRUE(listed);
  EXPECT_NE(std::find(listed->begin(), listed->end(), "run-0007/machines/guest/bzImage"), listed->end());
  std::filesystem::create_directories(path("unpacked"));
  auto dir = unpack_bundle_archive(archive, path("unpacked"));
  ASSERT_TRUE(dir) << dir.error().message;
  EXPECT_EQ(*dir, path("unpacked/run-0007"));
  EXPECT_TRUE(
      std::filesystem::is_regular_file(*dir / "machines/guest/bzImage"));  // a file, not the staging link

  kernel::BuildOptions build;
  build.cache_dir = path("cache");
  auto lab = rebuild_lab(*dir, p.manifest, build);
  ASSERT_TRUE(lab) << lab.error().message;
  const auto& m = lab->lab.machines.at(0);
  EXPECT_EQ(m.kernel, (*dir / "machines/guest/bzImage").string());
  EXPECT_EQ(m.cmdline, std::vector<std::string>{"hung_task_timeout_secs=5"});  // from [kernel.patched]
  EXPECT_EQ(lab->lab.kernels.at("patched").series, (*dir / "patches/patched").string());
  ASSERT_EQ(lab->notes.size(), 1u);
  EXPECT_NE(lab->notes[0].find("the bundled bzImage"), std::string::npos) << lab->notes[0];
}

TEST_F(BundleContents, ReproLabFindsTheKernelInTheCacheByKey) {
  const auto p = plan(false, false);
  ASSERT_TRUE(write_bundle_archive(p.entries, "run-0007", path("b.tar.gz")));
  std::filesystem::create_directories(path("unpacked"));
  auto dir = unpack_bundle_archive(path("b.tar.gz"), path("unpacked"));
  ASSERT_TRUE(dir) << dir.error().message;
  kernel::BuildOptions build;
  build.cache_dir = path("cache");
  auto lab = rebuild_lab(*dir, p.manifest, build);
  ASSERT_TRUE(lab) << lab.error().message;
  EXPECT_EQ(lab->lab.machines.at(0).kernel, run_.machines[0].kernel.path);
}

TEST_F(BundleContents, UnpackingRefusesNamesOutsideOneFolderAndLinks) {
  write("evil/a/x", "x");
  write("evil/b/y", "y");
  std::filesystem::create_symlink("/etc/passwd", path("evil/a/link"));
  const auto tar = [&](const std::string& out, std::vector<std::string> what) {
    std::vector<std::string> argv = {"tar", "-czf", path(out).string(), "-C", path("evil").string()};
    argv.insert(argv.end(), what.begin(), what.end());
    ASSERT_TRUE(util::capture_output(argv, util::Deadline::after(std::chrono::seconds(30))));
  };
  tar("two.tar.gz", {"a/x", "b/y"});
  tar("link.tar.gz", {"a"});
  ASSERT_TRUE(util::capture_output({"tar", "-czPf", path("abs.tar.gz").string(), path("evil/a/x").string()},
                                   util::Deadline::after(std::chrono::seconds(30))));
  for (const char* bad : {"two.tar.gz", "link.tar.gz", "abs.tar.gz"}) {
    const auto into = path(std::string("into-") + bad);
    std::filesystem::create_directories(into);
    auto r = unpack_bundle_archive(path(bad), into);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, util::ErrorKind::bad_input) << bad << ": " << r.error().message;
  }
  write("not-a-tar", "hello");
  EXPECT_FALSE(unpack_bundle_archive(path("not-a-tar"), path("into-x")));
}

}  // namespace
}  // namespace numalab::bundle
