// Runs the real GNU patch on small temporary trees.

#include "kernel/patch_apply.hpp"

#include <gtest/gtest.h>

#include "kernel/patch_series.hpp"
#include "patch_test_support.hpp"
#include "util/child_process.hpp"

namespace numalab::kernel {
namespace {

namespace fs = std::filesystem;
using patch_testing::golden_patch_dir;
using patch_testing::read_text;
using patch_testing::write_v3_base_tree;

const std::string k_two_hunks =
    "--- a/mm/mempolicy.c\n+++ b/mm/mempolicy.c\n"
    "@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+line 10 changed\n line 11\n line 12\n line 13\n"
    "@@ -27,7 +27,7 @@\n line 27\n line 28\n line 29\n-line 30\n+line 30 changed\n line 31\n line 32\n line "
    "33\n";
const std::string k_in_tree_diff =
    "--- mm/cpuset.c\n+++ mm/cpuset.c\n@@ -1 +1,2 @@\n int cpuset_x;\n+int cpuset_z;\n";

class PatchApply : public patch_testing::PatchTempDirTest {
 protected:
  void SetUp() override {
    PatchTempDirTest::SetUp();
    if (HasFatalFailure()) return;
    if (!util::capture_output({"patch", "--version"}, util::Deadline::after(std::chrono::seconds(10))))
      GTEST_SKIP() << "GNU patch is not installed (apt-get install patch)";
    write_v3_base_tree(tree());
  }
  fs::path tree() const { return dir() / "tree"; }
  fs::path series_dir() const { return dir() / "series"; }

  PatchSeries golden_series() const {
    auto s = load_patch_series(golden_patch_dir() + "/format-patch-v3.mbox");
    EXPECT_TRUE(s) << s.error().message;
    return s ? *s : PatchSeries{};
  }
  PatchSeries series_of(const std::string& series_text) const {
    patch_testing::write_text(series_dir() / "series", series_text);
    auto s = load_patch_series(series_dir());
    EXPECT_TRUE(s) << s.error().message;
    return s ? *s : PatchSeries{};
  }
  util::Result<AppliedSeries> apply(const PatchSeries& s) const {
    return apply_patch_series(s, tree(), util::Deadline::after(std::chrono::seconds(30)));
  }
  std::vector<std::string> leftovers() const {  // .rej and .orig files
    std::vector<std::string> found;
    for (const auto& e : fs::recursive_directory_iterator(tree()))
      if (e.path().extension() == ".rej" || e.path().extension() == ".orig")
        found.push_back(e.path().string());
    return found;
  }
};

TEST_F(PatchApply, AppliesAPostedSeriesInOrder) {
  auto applied = apply(golden_series());
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->applied, 3);
  EXPECT_TRUE(applied->warnings.empty());
  const auto mempolicy = read_text(tree() / "mm/mempolicy.c");
  EXPECT_NE(mempolicy.find("\nline 10 policy fixed\n"), std::string::npos);
  EXPECT_NE(mempolicy.find("\nline 30 numa balancing\n"), std::string::npos);
  EXPECT_EQ(read_text(tree() / "mm/cpuset.c"), "int cpuset_x;\nint cpuset_y;\n");
  EXPECT_EQ(read_text(tree() / "mm/numa_lab.c"), "new file\n");
  EXPECT_TRUE(leftovers().empty());
}

TEST_F(PatchApply, AppliesASeriesFolderWithStripLevels) {
  patch_testing::write_text(series_dir() / "two-hunks.patch", k_two_hunks);
  patch_testing::write_text(series_dir() / "in-tree.diff", k_in_tree_diff);
  auto applied = apply(series_of("two-hunks.patch\nin-tree.diff -p0\n"));
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->applied, 2);
  EXPECT_EQ(read_text(tree() / "mm/cpuset.c"), "int cpuset_x;\nint cpuset_z;\n");
  EXPECT_NE(read_text(tree() / "mm/mempolicy.c").find("\nline 30 changed\n"), std::string::npos);
}

TEST_F(PatchApply, AFailedHunkNamesThePatchItsPositionTheFileAndTheHunk) {
  auto text = read_text(tree() / "mm/mempolicy.c");
  patch_testing::write_text(tree() / "mm/mempolicy.c",
                            text.replace(text.find("line 30\n"), 7, "line thirty"));
  patch_testing::write_text(series_dir() / "0001-cpuset.patch", k_in_tree_diff);
  patch_testing::write_text(series_dir() / "0002-two-hunks.patch", k_two_hunks);
  auto applied = apply(series_of("# v1\n0001-cpuset.patch -p0\n0002-two-hunks.patch\n"));
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().kind, util::ErrorKind::bad_input);
  EXPECT_EQ(applied.error().message, "patch 2 of 2: 0002-two-hunks.patch (" +
                                         (series_dir() / "series").string() + ":3, -p1) does not apply to " +
                                         tree().string() +
                                         ":\n"
                                         "  mm/mempolicy.c: hunk #2 FAILED at 27\n"
                                         "GNU patch said (last lines):\n"
                                         "  patching file mm/mempolicy.c\n"
                                         "  Hunk #2 FAILED at 27.\n"
                                         "  1 out of 2 hunks FAILED");
  EXPECT_TRUE(leftovers().empty()) << leftovers().front();
}

TEST_F(PatchApply, AFailureInAPostedSeriesNamesTheMessage) {
  patch_testing::write_text(tree() / "mm/mempolicy.c", "line 29\nline 30 already changed\n");
  const auto series = golden_series();
  auto applied = apply(series);
  ASSERT_FALSE(applied);
  EXPECT_TRUE(applied.error().message.starts_with(
      "patch 1 of 3: 0001-mm-mempolicy-fix-the-rebind-of-a-bound-policy.patch (" + series.origin.string() +
      ":25, -p1) does not apply to " + tree().string() + ":\n  mm/mempolicy.c: hunk #1 FAILED at 7\n"))
      << applied.error().message;
}

TEST_F(PatchApply, ASeriesAppliedTwiceIsReportedAsReversed) {
  ASSERT_TRUE(apply(golden_series()));
  auto again = apply(golden_series());
  ASSERT_FALSE(again);
  EXPECT_NE(
      again.error().message.find("patch 1 of 3: 0001-mm-mempolicy-fix-the-rebind-of-a-bound-policy.patch"),
      std::string::npos);
  EXPECT_NE(
      again.error().message.find("\n  mm/mempolicy.c: reversed (or previously applied) patch detected\n"),
      std::string::npos)
      << again.error().message;
  EXPECT_TRUE(leftovers().empty());
}

TEST_F(PatchApply, APatchToAFileNotInTheTreeNamesTheFile) {
  fs::remove(tree() / "mm/cpuset.c");
  auto applied = apply(golden_series());
  ASSERT_FALSE(applied);
  EXPECT_NE(applied.error().message.find(
                "patch 2 of 3: 0002-cpuset-do-not-rebind-mempolicy-on-a-no-op-change.patch"),
            std::string::npos);
  EXPECT_NE(applied.error().message.find("\n  can't find file to patch: b/mm/cpuset.c (input line 15)\n"),
            std::string::npos)
      << applied.error().message;
}

TEST_F(PatchApply, AMalformedPatchAndOneWithoutADiff) {
  patch_testing::write_text(
      series_dir() / "bad.patch",
      "--- a/mm/cpuset.c\n+++ b/mm/cpuset.c\n@@ -1,3 +1,3 @@\n int cpuset_x;\nXjunk\n z\n");
  auto bad = apply(series_of("bad.patch\n"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("\n  malformed patch at line 5: Xjunk\n"), std::string::npos)
      << bad.error().message;

  patch_testing::write_text(series_dir() / "notes.patch", "just words\n");
  auto words = apply(series_of("notes.patch\n"));
  ASSERT_FALSE(words);
  EXPECT_NE(words.error().message.find("\n  no diff found in the patch\n"), std::string::npos)
      << words.error().message;
}

TEST_F(PatchApply, HunksAppliedWithFuzzAreWarnings) {
  auto text = read_text(tree() / "mm/mempolicy.c");
  patch_testing::write_text(tree() / "mm/mempolicy.c", text.replace(text.find("line 7\n"), 6, "line seven"));
  auto applied = apply(golden_series());
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->warnings, std::vector<std::string>{
                                   "patch 1 of 3: 0001-mm-mempolicy-fix-the-rebind-of-a-bound-policy.patch: "
                                   "mm/mempolicy.c hunk #1 (fuzz 1)"});
}

TEST_F(PatchApply, ATreeThatIsNotAFolderCannotBePatched) {
  auto applied =
      apply_patch_series(golden_series(), dir() / "missing", util::Deadline::after(std::chrono::seconds(5)));
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().kind, util::ErrorKind::cannot_run);
}

}  // namespace
}  // namespace numalab::kernel
