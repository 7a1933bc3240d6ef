#include "util/cache_prune.hpp"

#include <gtest/gtest.h>

#include <tuple>

#include "util/file_contents.hpp"
#include "util/temp_dir.hpp"

namespace numalab::util {
namespace {

namespace fs = std::filesystem;

TEST(CachePrune, KeepsEachGroupsNewestPlaces) {
  auto tmp = ScopedTempDir::create("numalab-prune-");
  ASSERT_TRUE(tmp);
  std::vector<CachedFolder> folders;
  for (const auto& [name, group, at] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"a1", "a", "2026-01-01T00:00:00Z"},
                                                                      {"a2", "a", "2026-01-02T00:00:00Z"},
                                                                      {"a3", "a", "2026-01-03T00:00:00Z"},
                                                                      {"b1", "b", "2026-01-01T00:00:00Z"}}) {
    fs::create_directories(tmp->path() / name / "sub");
    folders.push_back({tmp->path() / name, group, at});
  }
  auto removed = prune_folders(folders, [](const std::string& g) { return g == "a" ? 2u : 0u; });
  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(removed[0].dir, tmp->path() / "a1");
  EXPECT_EQ(removed[1].dir, tmp->path() / "b1");
  EXPECT_TRUE(fs::exists(tmp->path() / "a3"));
  EXPECT_TRUE(fs::exists(tmp->path() / "a2"));
  EXPECT_FALSE(fs::exists(tmp->path() / "a1"));
  EXPECT_FALSE(fs::exists(tmp->path() / "b1"));
}

TEST(CachePrune, FolderBytesCountsTheFilesBelow) {
  auto tmp = ScopedTempDir::create("numalab-prune-");
  ASSERT_TRUE(tmp);
  fs::create_directories(tmp->path() / "a" / "b");
  ASSERT_TRUE(write_file(tmp->path() / "a" / "x", "12345"));
  ASSERT_TRUE(write_file(tmp->path() / "a" / "b" / "y", "123"));
  EXPECT_EQ(folder_bytes(tmp->path() / "a"), 8u);
  EXPECT_EQ(folder_bytes(tmp->path() / "missing"), 0u);
}

}  // namespace
}  // namespace numalab::util
