#include "launch/startup_cache.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch/startup_key.hpp"
#include "util/file_contents.hpp"
#include "util/temp_dir.hpp"

namespace numalab::launch {
namespace {

namespace fs = std::filesystem;

agent::Hello two_node_hello() {
  model::Topology t{{{0, {0, 1}, 1'048'576}, {1, {2, 3}, 1'048'576}}, {{10, 20}, {20, 10}}};
  return agent::Hello{1,
                      "6.1.0-21-amd64",
                      "#1 SMP PREEMPT_DYNAMIC Debian 6.1.90-1",
                      t,
                      4,
                      2'000'000,
                      2.25,
                      {"modules.load: virtio_console.ko: No such file or directory"}};
}

StartupRecord record_made_at(std::string created_at) {
  StartupRecord r;
  r.kernel_sha256 = std::string(64, 'a');
  r.image_key = "image-1";
  r.qemu_version = "7.2.19";
  r.argv = {"qemu-system-x86_64", "-append", "console=ttyS0,115200 rdinit=/init"};
  r.hello = two_node_hello();
  r.boot_seconds = 7.9;
  r.created_at = std::move(created_at);
  return r;
}

class StartupCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = util::ScopedTempDir::create("numalab-startup-");
    ASSERT_TRUE(d);
    tmp.emplace(std::move(*d));
  }
  StartupCache cache() const { return StartupCache(tmp->path() / "startup"); }
  // What a save leaves in a draft: RAM files written through QEMU's shared mapping, and the stream.
  static void fill(const StartupDraft& d) {
    ASSERT_TRUE(util::write_file(d.dir() / "node0", "ram of node 0"));
    ASSERT_TRUE(util::write_file(d.dir() / "node1", "ram of node 1"));
    ASSERT_TRUE(util::write_file(d.state_file(), "QEVM"));
  }
  std::vector<std::string> names_in_root() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(cache().root()))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  std::optional<util::ScopedTempDir> tmp;
};

const std::string k_key = "0123456789abcdef01234567";

TEST_F(StartupCacheTest, ACommittedEntryIsFoundWithItsRecordAndFiles) {
  auto draft = cache().begin(k_key);
  ASSERT_TRUE(draft) << draft.error().message;
  EXPECT_EQ(draft->ram_files().dir, draft->dir());
  EXPECT_FALSE(draft->ram_files().copy_on_write);  // the booting QEMU writes the guest's RAM into them
  fill(*draft);
  auto entry = cache().commit(std::move(*draft), record_made_at("2026-12-07T21:00:00Z"));
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_EQ(entry->dir, cache().root() / k_key);

  auto found = cache().find(k_key);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->record.key, k_key);
  EXPECT_EQ(found->record, entry->record);
  EXPECT_EQ(found->record.hello, two_node_hello());
  EXPECT_EQ(found->record.boot_seconds, 7.9);
  EXPECT_EQ(util::read_file(found->state_file()).value_or(""), "QEVM");
  EXPECT_EQ(util::read_file(found->ram_files().dir / "node1").value_or(""), "ram of node 1");
  EXPECT_TRUE(found->ram_files().copy_on_write);  // a restore never writes to the cache
  EXPECT_EQ(names_in_root(), std::vector<std::string>{k_key});
}

TEST_F(StartupCacheTest, EntryJsonIsReadable) {
  auto draft = cache().begin(k_key);
  ASSERT_TRUE(draft);
  fill(*draft);
  ASSERT_TRUE(cache().commit(std::move(*draft), record_made_at("2026-12-07T21:00:00Z")));
  auto text = util::read_file(cache().root() / k_key / "entry.json");
  ASSERT_TRUE(text);
  auto j = nlohmann::json::parse(*text);
  EXPECT_EQ(j["qemu_version"], "7.2.19");
  EXPECT_EQ(j["argv"][1], "-append");
  EXPECT_EQ(j["hello"]["release"], "6.1.0-21-amd64");  // the agent protocol's own encoding
  EXPECT_EQ(j["created_at"], "2026-12-07T21:00:00Z");
}

TEST_F(StartupCacheTest, ADraftNotCommittedLeavesNothing) {
  {
    auto draft = cache().begin(k_key);
    ASSERT_TRUE(draft);
    fill(*draft);
    struct stat st {};
    ASSERT_EQ(::stat(draft->dir().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_TRUE(cache().list().empty());  // a draft is no entry
    EXPECT_FALSE(cache().find(k_key));
  }
  EXPECT_TRUE(names_in_root().empty());
}

// numalab killed while its guest booted leaves its draft (RAM files as large as the guest's
// memory): the next numalab that prunes removes it, and only it.
TEST_F(StartupCacheTest, ADraftWhoseNumalabIsGoneIsRemovedAndOnlyThat) {
  auto live = cache().begin(k_key);
  ASSERT_TRUE(live);
  fill(*live);
  EXPECT_NE(live->dir().filename().string().find("-" + std::to_string(::getpid()) + "-"), std::string::npos)
      << live->dir() << ": the draft names its process";
  const pid_t dead = ::fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(dead, nullptr, 0), dead);
  const auto abandoned = cache().root() / (".draft-" + k_key + "-" + std::to_string(dead) + "-AbC123");
  const auto not_ours = cache().root() / ".draft-notakey-1-AbC123";
  ASSERT_TRUE(fs::create_directories(abandoned));
  ASSERT_TRUE(util::write_file(abandoned / "node0", "ram of a killed run"));
  ASSERT_TRUE(fs::create_directories(not_ours));

  EXPECT_EQ(cache().remove_abandoned_drafts(), std::vector<fs::path>{abandoned});
  EXPECT_FALSE(fs::exists(abandoned));
  EXPECT_TRUE(fs::exists(live->dir())) << "a live numalab's draft stays";
  EXPECT_TRUE(fs::exists(not_ours)) << "a folder that is not a draft of ours stays";
  EXPECT_TRUE(cache().remove_abandoned_drafts().empty());
}

TEST_F(StartupCacheTest, TwoRunsSavingOneKeyLeaveTheFirstEntryAndNoDraft) {
  auto first = cache().begin(k_key);
  auto second = cache().begin(k_key);
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->dir(), second->dir());
  fill(*first);
  fill(*second);
  ASSERT_TRUE(util::write_file(second->state_file(), "QEVM second"));

  auto a = cache().commit(std::move(*first), record_made_at("2026-12-07T21:00:00Z"));
  auto b = cache().commit(std::move(*second), record_made_at("2026-12-07T21:00:01Z"));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->dir, a->dir);
  EXPECT_EQ(b->record.created_at, "2026-12-07T21:00:00Z");
  EXPECT_EQ(util::read_file(cache().find(k_key)->state_file()).value_or(""), "QEVM");
  EXPECT_EQ(names_in_root(), std::vector<std::string>{k_key});
}

TEST_F(StartupCacheTest, AFolderWithoutARecordIsNoEntry) {
  fs::create_directories(cache().root() / k_key);
  ASSERT_TRUE(util::write_file(cache().root() / k_key / "state", "QEVM"));
  EXPECT_FALSE(cache().find(k_key));
  ASSERT_TRUE(
      util::write_file(cache().root() / k_key / "entry.json", R"({"format": 1, "hello": {"type": "log"}})"));
  EXPECT_FALSE(cache().find(k_key));
  EXPECT_TRUE(cache().list().empty());
  // And a commit onto it says what is in the way instead of taking it for an entry.
  auto draft = cache().begin(k_key);
  ASSERT_TRUE(draft);
  fill(*draft);
  auto r = cache().commit(std::move(*draft), record_made_at("2026-12-07T21:00:00Z"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("is in the way"), std::string::npos) << r.error().message;
}

TEST_F(StartupCacheTest, KeysThatAreNotHexNameNoFolder) {
  EXPECT_FALSE(cache().begin("../x"));
  EXPECT_FALSE(cache().begin(""));
  EXPECT_FALSE(cache().find("../startup"));
}

TEST_F(StartupCacheTest, PruneKeepsTheNewest) {
  const std::vector<std::pair<std::string, std::string>> made = {
      {"aaaa", "2026-12-07T20:00:00Z"}, {"bbbb", "2026-12-07T22:00:00Z"}, {"cccc", "2026-12-07T21:00:00Z"}};
  for (const auto& [key, at] : made) {
    auto d = cache().begin(key);
    ASSERT_TRUE(d);
    fill(*d);
    ASSERT_TRUE(cache().commit(std::move(*d), record_made_at(at)));
  }
  auto listed = cache().list();
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].record.key, "bbbb");
  EXPECT_EQ(listed[2].record.key, "aaaa");

  auto removed = cache().prune(2);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].record.key, "aaaa");
  EXPECT_EQ(names_in_root(), (std::vector<std::string>{"bbbb", "cccc"}));
  EXPECT_EQ(cache().prune(0).size(), 2u);
  EXPECT_TRUE(names_in_root().empty());
}

TEST_F(StartupCacheTest, TheBootingAndTheRestoringQemuMapTheSameFilesAsTheKeyCovers) {
  VmSpec spec;
  spec.name = "guest";
  spec.nodes = {{0, {0, 1}, 512ULL << 20, {}}, {1, {2, 3}, 512ULL << 20, {}}};
  spec.distances = {{10, 20}, {20, 10}};
  spec.vmgenid = true;
  auto draft = cache().begin(k_key);
  ASSERT_TRUE(draft);
  fill(*draft);
  VmSpec booting = spec;
  booting.ram_files = draft->ram_files();
  const auto draft_argv = build_qemu_argv(booting);
  auto entry = cache().commit(std::move(*draft), record_made_at("2026-12-07T21:00:00Z"));
  ASSERT_TRUE(entry);
  VmSpec restoring = spec;
  restoring.ram_files = entry->ram_files();
  restoring.incoming = true;
  const auto argv = build_qemu_argv(restoring);

  const std::string node1 =
      "memory-backend-file,id=mem1,size=512M,mem-path=" + (entry->dir / "node1").string();
  EXPECT_NE(std::find(argv.begin(), argv.end(), node1 + ",share=off"), argv.end());
  EXPECT_NE(std::find_if(draft_argv.begin(), draft_argv.end(),
                         [](const std::string& a) { return a.ends_with("/node1,share=on"); }),
            draft_argv.end());
  EXPECT_EQ(keyed_argv(booting), keyed_argv(restoring));
}

}  // namespace
}  // namespace numalab::launch
