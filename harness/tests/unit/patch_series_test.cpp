#include "kernel/patch_series.hpp"

#include <gtest/gtest.h>

#include "kernel/patch_series_file.hpp"
#include "patch_test_support.hpp"

namespace numalab::kernel {
namespace {

using patch_testing::golden_patch_dir;
using patch_testing::read_text;

std::string error_of(const util::Result<std::vector<SeriesEntry>>& r) {
  return r ? "(no error)" : r.error().message;
}

TEST(SeriesFile, ReadsPatchesInOrderSkippingCommentsAndBlankLines) {
  auto entries = parse_series_file(
      "# numab v3, rebased on 6.1\n"
      "\n"
      "0001-mm-fix.patch\n"
      "   \t\n"
      "fixes/in-tree.patch -p0   # made with diff -u inside the tree\n"
      "a#b.patch\t-p2\r\n"
      "  # indented comment\n"
      "last.patch",
      "patches/x/series");
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[0].path, "0001-mm-fix.patch");
  EXPECT_EQ((*entries)[0].strip, 1);
  EXPECT_EQ((*entries)[0].line, 3);
  EXPECT_EQ((*entries)[1].path, "fixes/in-tree.patch");
  EXPECT_EQ((*entries)[1].strip, 0);
  EXPECT_EQ((*entries)[1].line, 5);
  EXPECT_EQ((*entries)[2].path, "a#b.patch") << "'#' inside a name is not a comment, as in quilt";
  EXPECT_EQ((*entries)[2].strip, 2);
  EXPECT_EQ((*entries)[3].path, "last.patch");
  EXPECT_EQ((*entries)[3].line, 8);
}

TEST(SeriesFile, AnEmptySeriesIsValid) {
  auto entries = parse_series_file("# The empty series: the base kernel as it is.\n\n", "series");
  ASSERT_TRUE(entries);
  EXPECT_TRUE(entries->empty());
}

TEST(SeriesFile, NormalisesPathsThatStayInside) {
  auto entries = parse_series_file("./a.patch\nsub/../b.patch\nsub//c.patch\n", "series");
  ASSERT_TRUE(entries) << entries.error().message;
  EXPECT_EQ((*entries)[0].path, "a.patch");
  EXPECT_EQ((*entries)[1].path, "b.patch");
  EXPECT_EQ((*entries)[2].path, "sub/c.patch");
}

TEST(SeriesFile, RejectsPathsLeavingTheFolder) {
  auto up = parse_series_file("a.patch\n../x.patch\n", "patches/x/series");
  ASSERT_FALSE(up);
  EXPECT_EQ(up.error().kind, util::ErrorKind::bad_input);
  EXPECT_EQ(up.error().message,
            "patches/x/series:2: '../x.patch' leads out of the series folder: copy the patch into the "
            "folder and name it relative to it");
  EXPECT_NE(error_of(parse_series_file("sub/../../x.patch\n", "series"))
                .find("series:1: 'sub/../../x.patch' leads out"),
            std::string::npos);
  EXPECT_NE(error_of(parse_series_file("/etc/passwd\n", "series"))
                .find("series:1: '/etc/passwd' is an absolute path"),
            std::string::npos);
  EXPECT_NE(error_of(parse_series_file("sub/\n", "series")).find("names a folder"), std::string::npos);
}

TEST(SeriesFile, AcceptsOnlyTheStripOption) {
  EXPECT_EQ(error_of(parse_series_file("a.patch\nb.patch -R\n", "patches/x/series")),
            "patches/x/series:2: unknown option '-R' for b.patch: numalab supports only -pN (strip N "
            "leading path components, N from 0 to 64)");
  for (const char* bad : {"a.patch -p", "a.patch -px", "a.patch -p 1", "a.patch --strip=1", "a.patch -p999"})
    EXPECT_NE(error_of(parse_series_file(bad, "series")).find("series:1: unknown option"), std::string::npos)
        << bad;
  EXPECT_NE(
      error_of(parse_series_file("a.patch -p1 -p0", "series")).find("series:1: a.patch has two -p options"),
      std::string::npos);
  EXPECT_NE(error_of(parse_series_file("-p1 a.patch", "series"))
                .find("series:1: the line starts with the option '-p1'"),
            std::string::npos);
}

TEST(SeriesFile, RejectsAPatchListedTwice) {
  EXPECT_EQ(error_of(parse_series_file("a.patch\nb.patch\n# again:\n./a.patch -p0\n", "patches/x/series")),
            "patches/x/series:4: a.patch is listed twice (also on line 1): remove one of the lines");
}

class PatchSeriesLoad : public patch_testing::PatchTempDirTest {};

TEST_F(PatchSeriesLoad, LoadsAFolderWithASeriesFile) {
  write("series", "# two patches\nfirst.patch\n\nsub/second.patch -p0 # in-tree diff\n");
  write("first.patch", "first bytes\n");
  write("sub/second.patch", "second bytes\n");
  auto series = load_patch_series(dir());
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(series->format, SeriesFormat::series_file);
  EXPECT_EQ(series->origin, dir() / "series");
  ASSERT_EQ(series->patches.size(), 2u);
  const Patch& second = series->patches[1];
  EXPECT_EQ(second.name, "sub/second.patch");
  EXPECT_EQ(second.source, dir() / "sub/second.patch");
  EXPECT_EQ(second.line, 4);
  EXPECT_EQ(second.position, 2);
  EXPECT_EQ(second.strip, 0);
  EXPECT_EQ(second.content, "second bytes\n");
  EXPECT_EQ(series->patches[0].strip, 1);
  EXPECT_EQ(series->describe(second), "patch 2 of 2: sub/second.patch");
  EXPECT_EQ(series->location(second), (dir() / "series").string() + ":4");
}

TEST_F(PatchSeriesLoad, TheSeriesFileCanBeNamedDirectly) {
  write("series", "a.patch\n");
  write("a.patch", "a\n");
  auto series = load_patch_series(dir() / "series");
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(series->patches.at(0).content, "a\n");
}

TEST_F(PatchSeriesLoad, AMissingPatchFileNamesTheSeriesLine) {
  write("series", "a.patch\n\nb.patch\n");
  write("a.patch", "a\n");
  auto series = load_patch_series(dir());
  ASSERT_FALSE(series);
  EXPECT_EQ(series.error().kind, util::ErrorKind::bad_input);
  EXPECT_EQ(series.error().message, (dir() / "series").string() + ":3: b.patch does not exist (looked for " +
                                        (dir() / "b.patch").string() +
                                        "): copy the patch there or remove the line");
}

TEST_F(PatchSeriesLoad, ParseErrorsNameTheSeriesFile) {
  write("series", "a.patch -R\n");
  write("a.patch", "a\n");
  auto series = load_patch_series(dir());
  ASSERT_FALSE(series);
  EXPECT_TRUE(series.error().message.starts_with((dir() / "series").string() + ":1: unknown option '-R'"))
      << series.error().message;
}

TEST(PatchSeriesLoadProject, TheBaselineSeriesIsEmpty) {
  auto series = load_patch_series(std::string(NUMALAB_SOURCE_DIR) + "/patches/baseline");
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_TRUE(series->patches.empty());
}

TEST(PatchSeriesLoadGolden, AFolderOfFormatPatchFilesIsSortedByNameWithoutTheCoverLetter) {
  const std::filesystem::path folder = golden_patch_dir() + "/format-patch-v3";
  auto series = load_patch_series(folder);
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(series->format, SeriesFormat::patch_files);
  ASSERT_EQ(series->patches.size(), 3u);
  EXPECT_EQ(series->patches[0].name, "0001-mm-mempolicy-fix-the-rebind-of-a-bound-policy.patch");
  EXPECT_EQ(series->patches[1].name, "0002-cpuset-do-not-rebind-mempolicy-on-a-no-op-change.patch");
  EXPECT_EQ(series->patches[2].name, "0003-mm-numa-add-numa_lab.c-update-the-policy-v3.patch");
  EXPECT_EQ(series->patches[2].position, 3);
  EXPECT_EQ(series->patches[2].line, 0);
  EXPECT_EQ(series->patches[2].content, read_text(folder / series->patches[2].name));
  EXPECT_EQ(series->location(series->patches[2]), (folder / series->patches[2].name).string());
}

TEST_F(PatchSeriesLoad, AFolderWithTwoVersionsOfAPatchIsAnError) {
  write("0001-mm-foo.patch", "a\n");
  write("0001-mm-foo-v2.patch", "b\n");
  auto series = load_patch_series(dir());
  ASSERT_FALSE(series);
  EXPECT_NE(series.error().message.find("numbered like 0001-mm-foo-v2.patch: two versions"),
            std::string::npos)
      << series.error().message;
}

TEST_F(PatchSeriesLoad, AFolderWithoutASeriesFileNeedsFormatPatchNames) {
  write("0001-mm-foo.patch", "a\n");
  write("fix.patch", "b\n");
  auto series = load_patch_series(dir());
  ASSERT_FALSE(series);
  EXPECT_EQ(series.error().message, (dir() / "fix.patch").string() +
                                        " is not named like git format-patch output (0001-*.patch), and the "
                                        "folder has no series file: write a series file there listing the "
                                        "patches in order");
}

TEST_F(PatchSeriesLoad, AnEmptyFolderOrNothingAtAllIsAnError) {
  auto empty = load_patch_series(dir());
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("has no series file, no .mbox and no 0001-*.patch files"),
            std::string::npos);
  auto missing = load_patch_series(dir() / "nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, util::ErrorKind::bad_input);
  EXPECT_NE(missing.error().message.find("nope does not exist"), std::string::npos);
}

TEST_F(PatchSeriesLoad, TheOnlyMboxOfAFolderIsTheSeries) {
  write("numab-v3.mbox", read_text(golden_patch_dir() + "/format-patch-v3.mbox"));
  write("notes.txt", "not a patch\n");
  auto series = load_patch_series(dir());
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(series->format, SeriesFormat::mbox);
  EXPECT_EQ(series->origin, dir() / "numab-v3.mbox");
  ASSERT_EQ(series->patches.size(), 3u);
  EXPECT_EQ(series->location(series->patches[1]), (dir() / "numab-v3.mbox").string() + ":53");

  write("numab-v2.mbox", read_text(golden_patch_dir() + "/format-patch-v3.mbox"));
  auto two = load_patch_series(dir());
  ASSERT_FALSE(two);
  EXPECT_NE(two.error().message.find("more than one candidate"), std::string::npos) << two.error().message;
}

class PatchSeriesHash : public patch_testing::PatchTempDirTest {
 protected:
  std::string hash_of(const std::string& series_text) {
    write("series", series_text);
    auto s = load_patch_series(dir());
    EXPECT_TRUE(s) << s.error().message;
    return s ? s->content_hash() : "";
  }
  void SetUp() override {
    PatchTempDirTest::SetUp();
    if (HasFatalFailure()) return;
    write("a.patch", "--- a/x\n+++ b/x\n");
    write("b.patch", "--- a/y\n+++ b/y\n");
  }
};

TEST_F(PatchSeriesHash, IgnoresCommentsBlankLinesAndSpacing) {
  const auto plain = hash_of("a.patch\nb.patch\n");
  EXPECT_EQ(plain.size(), 64u);
  EXPECT_EQ(hash_of("# series v2\n\n  a.patch   # first\n\tb.patch -p1\n\n"), plain);
  EXPECT_EQ(hash_of("./a.patch\nb.patch"), plain);
}

TEST_F(PatchSeriesHash, ChangesWithOrderStripLevelAndEveryByte) {
  const auto plain = hash_of("a.patch\nb.patch\n");
  EXPECT_NE(hash_of("b.patch\na.patch\n"), plain);
  EXPECT_NE(hash_of("a.patch\nb.patch -p0\n"), plain);
  EXPECT_NE(hash_of("a.patch\n"), plain);
  write("b.patch", "--- a/y\n+++ b/Y\n");
  EXPECT_NE(hash_of("a.patch\nb.patch\n"), plain);
}

TEST_F(PatchSeriesHash, DoesNotDependOnWhereTheSeriesLies) {
  PatchSeries here{
      dir() / "series", SeriesFormat::series_file, {Patch{"a.patch", dir() / "a.patch", 1, 1, 1, "x"}}};
  PatchSeries there{
      "/elsewhere/series", SeriesFormat::series_file, {Patch{"a.patch", "/elsewhere/a.patch", 3, 1, 1, "x"}}};
  EXPECT_EQ(here.content_hash(), there.content_hash());
  there.patches[0].name = "b.patch";
  EXPECT_NE(here.content_hash(), there.content_hash());
  // Content and name are framed: moving bytes from one to the other changes the hash.
  PatchSeries shifted{"", SeriesFormat::mbox, {Patch{"a.patchx", "", 0, 1, 1, ""}}};
  EXPECT_NE(here.content_hash(), shifted.content_hash());
}

}  // namespace
}  // namespace numalab::kernel
