#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "kernel/build_progress.hpp"
#include "kernel/build_record.hpp"
#include "kernel/kernel_cache_key.hpp"
#include "kernel/kernel_resolver.hpp"
#include "kernel/kernel_store.hpp"
#include "kernel/work_tree.hpp"
#include "util/temp_dir.hpp"

namespace numalab::kernel {
namespace {

KernelCacheKey key() {
  return {"debian linux-source-6.1 6.1.192-2", "s1", "c1", "gcc (Debian 12.2.0-14) 12.2.0"};
}

TEST(KernelCacheKey, SameInputsSameKey) {
  EXPECT_EQ(key().hex(), key().hex());
  EXPECT_EQ(key().hex().size(), 24u);
}

TEST(KernelCacheKey, AnyChangedInputIsANewKey) {
  const auto k0 = key().hex();
  for (auto field : {&KernelCacheKey::base_identity, &KernelCacheKey::series_hash,
                     &KernelCacheKey::config_hash, &KernelCacheKey::compiler}) {
    auto k = key();
    k.*field += "x";
    EXPECT_NE(k.hex(), k0);
  }
  // Text moved between fields is a different input, not the same concatenation.
  auto a = key(), b = key();
  a.series_hash = "s1c";
  a.config_hash = "1";
  b.series_hash = "s1";
  b.config_hash = "c1";
  EXPECT_NE(a.hex(), b.hex());
}

TEST(BuildProgress, CountsKbuildStepsAndShowsTheCurrentOne) {
  BuildProgress p(200);
  p.feed("make[1]: Entering directory '/x'\n  GEN     Makefile\n  CC      mm/memp");
  p.feed("olicy.o\nIn file included from x.c:1:\n  LD      vmlinux.o\n");
  EXPECT_EQ(p.steps(), 3u);
  EXPECT_EQ(p.line(130), "[--------------]   1%  LD vmlinux.o  2m10s");
}

TEST(BuildProgress, WithoutAnExpectedSizeCountsSteps) {
  BuildProgress p(std::nullopt);
  for (int i = 0; i < 50; ++i) p.feed("  CC      kernel/sched/fair.o\n");
  EXPECT_EQ(p.line(5), "50 steps  CC kernel/sched/fair.o  0m05s");
  BuildProgress full(50);
  for (int i = 0; i < 80; ++i) full.feed("  CC      a.o\n");
  EXPECT_EQ(full.line(0).substr(0, 21), "[#############-]  99%") << "never claims 100 % before make ends";
}

TEST(WorkTree, FilesTouchedHonourTheStripLevel) {
  PatchSeries s;
  s.patches.push_back({"a.patch", "", 0, 1, 1,
                       "--- a/mm/mempolicy.c\n+++ b/mm/mempolicy.c\n@@ -1 +1 @@\n-x\n+y\n"
                       "--- /dev/null\n+++ b/mm/new.c\t2026-01-01\n@@ -0,0 +1 @@\n+z\n"});
  s.patches.push_back({"b.patch", "", 0, 2, 0, "--- kernel/Kconfig.x\n+++ kernel/Kconfig.x\n"});
  EXPECT_EQ(files_touched(s), (std::set<std::string>{"kernel/Kconfig.x", "mm/mempolicy.c", "mm/new.c"}));
}

TEST(KernelResolver, ProjectRootIsTheFolderWithPatchesOrKernels) {
  auto d = util::ScopedTempDir::create();
  ASSERT_TRUE(d);
  std::filesystem::create_directories(d->path() / "proj" / "patches");
  std::filesystem::create_directories(d->path() / "proj" / "lab" / "deep");
  EXPECT_EQ(project_root_of(d->path() / "proj" / "lab" / "deep" / "x.toml"), d->path() / "proj");
  EXPECT_EQ(project_root_of(d->path() / "proj" / "x.toml"), d->path() / "proj");
}

void fake_build(const std::filesystem::path& cache, const std::string& name, const std::string& key,
                const std::string& when) {
  const auto dir = cache / "kernels" / "built" / key;
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "bzImage") << std::string(1000, 'k');
  std::ofstream(dir / "meta.json") << nlohmann::json{{"name", name}, {"key", key}, {"built_at", when}}.dump();
}

TEST(KernelStore, ListsNewestFirstAndSkipsUnfinishedBuilds) {
  auto d = util::ScopedTempDir::create();
  ASSERT_TRUE(d);
  fake_build(d->path(), "base", "k1", "2026-11-20T10:00:00Z");
  fake_build(d->path(), "numab", "k2", "2026-11-21T10:00:00Z");
  std::filesystem::create_directories(d->path() / "kernels" / "built" / "k3.tmp.42");
  auto all = list_built_kernels(d->path());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key, "k2");
  EXPECT_EQ(all[1].name, "base");
  EXPECT_GE(all[1].bytes, 1000u);
}

TEST(KernelStore, PruneKeepsTheNewestBuildOfEachNameInUse) {
  auto d = util::ScopedTempDir::create();
  ASSERT_TRUE(d);
  fake_build(d->path(), "base", "old", "2026-11-20T10:00:00Z");
  fake_build(d->path(), "base", "new", "2026-11-21T10:00:00Z");
  fake_build(d->path(), "gone", "g1", "2026-11-21T11:00:00Z");
  std::filesystem::create_directories(d->path() / "work" / "gone" / "src");
  std::filesystem::create_directories(d->path() / "work" / "base" / "src");
  auto removed = prune_built_kernels(d->path(), {"base"});
  EXPECT_EQ(removed.size(), 2u);
  auto left = list_built_kernels(d->path());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].key, "new");
  EXPECT_FALSE(std::filesystem::exists(d->path() / "work" / "gone"));
  EXPECT_TRUE(std::filesystem::exists(d->path() / "work" / "base"));
}

TEST(BuildRecord, WritesMetaJsonAndReadsItBack) {
  auto d = util::ScopedTempDir::create();
  ASSERT_TRUE(d);
  const BuildRecord record{"numab-v3",
                           "0123456789abcdef01234567",
                           "debian linux-source-6.1 6.1.192-2",
                           "patches/numab-v3",
                           "s1",
                           3,
                           {"numa-lab", "debug"},
                           "c1",
                           "gcc (Debian 12.2.0-14) 12.2.0",
                           "2026-11-21T10:00:00Z",
                           412.5};
  ASSERT_TRUE(write_build_record(d->path(), record));
  auto back = read_build_record(d->path());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, record);
  // The file is the build record users and older numalab versions know.
  std::ifstream in(d->path() / "meta.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["key"], "0123456789abcdef01234567");
  EXPECT_EQ(j["config"], nlohmann::json({"numa-lab", "debug"}));
  EXPECT_EQ(j["patches"], 3);
  EXPECT_EQ(j.size(), 11u);
}

TEST(BuildRecord, AnOlderRecordReadsWithItsMissingMembersEmpty) {
  auto d = util::ScopedTempDir::create();
  ASSERT_TRUE(d);
  std::ofstream(d->path() / "meta.json") << R"({"name": "base", "key": "k1", "config": ["numa-lab", 7]})";
  auto r = read_build_record(d->path());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->name, "base");
  EXPECT_EQ(r->key, "k1");
  EXPECT_EQ(r->config, std::vector<std::string>{"numa-lab"});
  EXPECT_EQ(r->base, "");
  EXPECT_EQ(r->build_seconds, 0);
}

TEST(BuildRecord, AMissingOrForeignRecordIsAnErrorThatNamesTheFile) {
  auto d = util::ScopedTempDir::create();
  ASSERT_TRUE(d);
  auto missing = read_build_record(d->path());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find((d->path() / "meta.json").string()), std::string::npos);
  std::ofstream(d->path() / "meta.json") << "[1, 2]";
  auto foreign = read_build_record(d->path());
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().message, (d->path() / "meta.json").string() + " is not a kernel build record");
}

// Objects must never outlive the history that made them: a new base or a lost state file empties
// the build folder; an unchanged base and series keep it.
TEST(WorkTree, NewBaseOrUnknownHistoryStartsTheBuildAfresh) {
  auto d = util::ScopedTempDir::create();
  ASSERT_TRUE(d);
  const auto base_dir = d->path() / "base";
  std::filesystem::create_directories(base_dir);
  std::ofstream(base_dir / "Makefile") << "all:\n";
  const auto cache = d->path() / "cache";
  auto quiet = [](const std::string&) {};
  const BaseSource base{base_dir, "test base 1"};
  auto marker = [&] { return cache / "work" / "k" / "build" / "fair.o"; };

  ASSERT_TRUE(prepare_work_tree("k", base, PatchSeries{}, cache, quiet));
  std::ofstream(marker()) << "object";
  auto same = prepare_work_tree("k", base, PatchSeries{}, cache, quiet);
  ASSERT_TRUE(same);
  EXPECT_FALSE(same->changed);
  EXPECT_TRUE(std::filesystem::exists(marker())) << "nothing changed: objects stay";

  ASSERT_TRUE(prepare_work_tree("k", BaseSource{base_dir, "test base 2"}, PatchSeries{}, cache, quiet));
  EXPECT_FALSE(std::filesystem::exists(marker())) << "a new base must not reuse objects";

  std::ofstream(marker()) << "object";
  std::filesystem::remove(cache / "work" / "k" / "state.json");
  ASSERT_TRUE(prepare_work_tree("k", BaseSource{base_dir, "test base 2"}, PatchSeries{}, cache, quiet));
  EXPECT_FALSE(std::filesystem::exists(marker())) << "unknown history must not reuse objects";
}

}  // namespace
}  // namespace numalab::kernel
