#include "kernel/patch_output.hpp"

#include <gtest/gtest.h>

#include "patch_test_support.hpp"

namespace numalab::kernel {
namespace {

PatchOutput golden(const std::string& name) {
  return parse_patch_output(
      patch_testing::read_text(patch_testing::golden_patch_dir() + "/gnu-patch-2.7.6-" + name));
}

std::vector<std::string> described(const PatchOutput& out) {
  std::vector<std::string> lines;
  for (const auto& p : out.problems) lines.push_back(to_string(p));
  return lines;
}

TEST(PatchOutput, AFailedHunkNamesItsFileHunkAndLine) {
  const auto out = golden("hunk-failed.txt");
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].kind, PatchProblemKind::hunk_failed);
  EXPECT_EQ(out.problems[0].file, "mm/mempolicy.c");
  EXPECT_EQ(out.problems[0].hunk, 2);
  EXPECT_EQ(out.problems[0].line, 117);
  EXPECT_EQ(to_string(out.problems[0]), "mm/mempolicy.c: hunk #2 FAILED at 117");
  EXPECT_TRUE(out.fuzzed.empty());
}

TEST(PatchOutput, AReversedPatchAndAFileThatExistsAlready) {
  EXPECT_EQ(described(golden("reversed.txt")),
            (std::vector<std::string>{
                "mm/mempolicy.c: reversed (or previously applied) patch detected",
                "mm/new.c: the patch creates it but it already exists (previously applied?)"}));
}

TEST(PatchOutput, AFileNotInTheTreeIsNamedAsTheDiffNamesIt) {
  const auto out = golden("no-file.txt");
  ASSERT_EQ(out.problems.size(), 1u);
  EXPECT_EQ(out.problems[0].kind, PatchProblemKind::no_file);
  EXPECT_EQ(out.problems[0].file, "b/mm/mempolicy.c");
  EXPECT_EQ(to_string(out.problems[0]), "can't find file to patch: b/mm/mempolicy.c (input line 4)");
}

TEST(PatchOutput, AMalformedPatchAndOneWithoutADiff) {
  EXPECT_EQ(described(golden("malformed.txt")), std::vector<std::string>{"malformed patch at line 5: Xjunk"});
  EXPECT_EQ(golden("malformed.txt").problems.at(0).file, "mm/mempolicy.c");
  EXPECT_EQ(described(golden("garbage.txt")), std::vector<std::string>{"no diff found in the patch"});
}

TEST(PatchOutput, FuzzIsNotAProblemButIsReported) {
  const auto out = golden("fuzz.txt");
  EXPECT_TRUE(out.problems.empty());
  EXPECT_EQ(out.fuzzed, std::vector<std::string>{"mm/mempolicy.c hunk #1 (fuzz 1)"});
}

TEST(PatchOutput, OtherFatalMessagesAndRenamedFiles) {
  const auto out = parse_patch_output(
      "patching file mm/new_name.c (renamed from mm/old_name.c)\n"
      "Hunk #3 FAILED at 12 (different line endings).\n"
      "patch: **** Can't change to directory /nonexist : No such file or directory\n");
  EXPECT_EQ(described(out),
            (std::vector<std::string>{"mm/new_name.c: hunk #3 FAILED at 12",
                                      "Can't change to directory /nonexist : No such file or directory"}));
  EXPECT_TRUE(parse_patch_output("").problems.empty());
}

TEST(PatchOutput, LastLinesKeepsTheEndIndented) {
  EXPECT_EQ(last_lines("a\n\nb\nc\nd\n", 3), "  b\n  c\n  d");
  EXPECT_EQ(last_lines("one", 5), "  one");
  EXPECT_EQ(last_lines("", 5), "");
}

}  // namespace
}  // namespace numalab::kernel
