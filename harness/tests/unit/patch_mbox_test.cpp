#include "kernel/patch_mbox.hpp"

#include <gtest/gtest.h>

#include "kernel/patch_series.hpp"
#include "patch_test_support.hpp"

namespace numalab::kernel {
namespace {

using patch_testing::golden_patch_dir;
using patch_testing::read_text;

const std::filesystem::path k_v3_folder = golden_patch_dir() + "/format-patch-v3";
const std::string k_cover = "0000-cover-letter.patch";
const std::string k_first = "0001-mm-mempolicy-fix-the-rebind-of-a-bound-policy.patch";
const std::string k_second = "0002-cpuset-do-not-rebind-mempolicy-on-a-no-op-change.patch";
const std::string k_third = "0003-mm-numa-add-numa_lab.c-update-the-policy-v3.patch";

std::string v3(const std::string& name) { return read_text(k_v3_folder / name); }

std::string error_of(const util::Result<std::vector<Patch>>& r) {
  return r ? "(no error)" : r.error().message;
}

TEST(SplitMbox, SplitsGitFormatPatchOutputAtItsFromLines) {
  const auto messages = split_mbox(read_text(golden_patch_dir() + "/format-patch-v3.mbox"));
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0].line, 1);
  EXPECT_EQ(messages[0].subject, "[PATCH v3 0/3] mm: keep bound mempolicies across cpuset changes");
  EXPECT_EQ(messages[0].number, 0);
  EXPECT_EQ(messages[0].total, 3);
  EXPECT_NE(messages[0].text.find("\nFrom v2: the rebind"), std::string::npos)
      << "a body line, not a separator";
  EXPECT_EQ(messages[1].line, 25);
  EXPECT_EQ(messages[2].line, 53);
  EXPECT_EQ(messages[3].line, 73);
  EXPECT_EQ(messages[3].number, 3);
  EXPECT_EQ(messages[3].subject, "[PATCH v3 3/3] mm/numa: add numa_lab.c & update the policy (v3)");
  EXPECT_EQ(messages[2].text, v3(k_second)) << "each message is the format-patch file, byte for byte";
  EXPECT_FALSE(messages[1].reply);
}

TEST(PatchesFromMbox, LeavesOutTheCoverLetterAndNamesPatchesAsGitDoes) {
  const std::filesystem::path mbox = golden_patch_dir() + "/format-patch-v3.mbox";
  auto patches = patches_from_mbox(read_text(mbox), mbox);
  ASSERT_TRUE(patches) << patches.error().message;
  ASSERT_EQ(patches->size(), 3u);
  const std::string names[] = {k_first, k_second, k_third};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*patches)[i].name, names[i]);
    EXPECT_EQ((*patches)[i].content, v3(names[i]));
    EXPECT_EQ((*patches)[i].position, static_cast<int>(i) + 1);
    EXPECT_EQ((*patches)[i].strip, 1);
    EXPECT_EQ((*patches)[i].source, mbox);
  }
  EXPECT_EQ((*patches)[2].line, 73);
}

TEST(PatchesFromMbox, SortsMessagesByTheirPatchNumber) {
  const std::string text = v3(k_third) + v3(k_first) + v3(k_cover) + v3(k_second);
  auto patches = patches_from_mbox(text, "shuffled.mbox");
  ASSERT_TRUE(patches) << patches.error().message;
  ASSERT_EQ(patches->size(), 3u);
  EXPECT_EQ((*patches)[0].name, k_first);
  EXPECT_EQ((*patches)[0].line, 35);  // where it is in this mbox
  EXPECT_EQ((*patches)[1].name, k_second);
  EXPECT_EQ((*patches)[2].name, k_third);
  EXPECT_EQ((*patches)[2].line, 1);
  EXPECT_EQ((*patches)[2].content, v3(k_third));
}

TEST(PatchesFromMbox, ReadsAMailingListArchiveWithReplies) {
  const std::string text =
      "From ada@example.org Mon Mar  4 12:00:00 2024\n"
      "From: Ada Lovelace <ada@example.org>\n"
      "Subject: [RFC PATCH 2/2] mm: second,\n"
      " continued\n"
      "\n"
      "From the start this was wrong.\n"
      "---\n"
      "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"
      "\n"
      "From bob@example.org Tue Mar  5 08:00:00 +0000 2024\n"
      "Subject: Re: [RFC PATCH 1/2] mm: first\n"
      "\n"
      "> --- a/y\n> +++ b/y\n"
      "Looks good.\n"
      "\n"
      "From ada@example.org Mon Mar  4 11:59:00 2024\n"
      "Subject: [RFC PATCH 1/2] mm: first\n"
      "\n"
      "--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n";
  auto patches = patches_from_mbox(text, "t.mbox");
  ASSERT_TRUE(patches) << patches.error().message;
  ASSERT_EQ(patches->size(), 2u);
  EXPECT_EQ((*patches)[0].name, "0001-mm-first.patch");
  EXPECT_EQ((*patches)[0].line, 21);
  EXPECT_EQ((*patches)[1].name, "0002-mm-second-continued.patch");
  EXPECT_EQ((*patches)[1].line, 1);
  EXPECT_NE((*patches)[1].content.find("From the start this was wrong."), std::string::npos);
  EXPECT_EQ(split_mbox(text).at(1).reply, true);
}

TEST(PatchesFromMbox, APlainDiffIsOnePatchNamedAfterItsFile) {
  const std::string diff = "--- mm/a.c\n+++ mm/a.c\n@@ -1 +1 @@\n-a\n+b\n";
  auto patches = patches_from_mbox(diff, "patches/fix-a.diff");
  ASSERT_TRUE(patches) << patches.error().message;
  ASSERT_EQ(patches->size(), 1u);
  EXPECT_EQ((*patches)[0].name, "fix-a.diff");
  EXPECT_EQ((*patches)[0].line, 1);
  EXPECT_EQ((*patches)[0].content, diff);
}

TEST(PatchesFromMbox, ASingleFormatPatchFileIsOnePatch) {
  std::string single = v3(k_second);
  single.replace(single.find("[PATCH v3 2/3]"), 14, "[PATCH]");
  auto patches = patches_from_mbox(single, "x.patch");
  ASSERT_TRUE(patches) << patches.error().message;
  ASSERT_EQ(patches->size(), 1u);
  EXPECT_EQ((*patches)[0].name, "0001-cpuset-do-not-rebind-mempolicy-on-a-no-op-change.patch");
  auto without_from_line = patches_from_mbox(single.substr(single.find('\n') + 1), "x.patch");
  ASSERT_TRUE(without_from_line) << without_from_line.error().message;
  EXPECT_EQ(without_from_line->at(0).name, "0001-cpuset-do-not-rebind-mempolicy-on-a-no-op-change.patch");
}

TEST(PatchesFromMbox, AnIncompleteOrMixedSeriesIsAnError) {
  EXPECT_EQ(error_of(patches_from_mbox(v3(k_first) + v3(k_third), "v3.mbox")),
            "v3.mbox: patch 2/3 is missing from the mbox");
  EXPECT_EQ(error_of(patches_from_mbox(v3(k_first) + v3(k_second) + v3(k_first) + v3(k_third), "v3.mbox")),
            "v3.mbox:49: patch 1/3 is there twice (also on line 1): keep one version");
  std::string unnumbered = v3(k_second);
  unnumbered.replace(unnumbered.find("[PATCH v3 2/3]"), 14, "[PATCH]");
  EXPECT_NE(
      error_of(patches_from_mbox(v3(k_first) + unnumbered + v3(k_third), "v3.mbox"))
          .find("v3.mbox:29: '[PATCH] cpuset: do not rebind mempolicy on a no-op change' has no [PATCH n/m]"),
      std::string::npos);
  std::string of_four = v3(k_third);
  of_four.replace(of_four.find("3/3]"), 4, "3/4]");
  EXPECT_NE(error_of(patches_from_mbox(v3(k_first) + v3(k_second) + of_four, "v3.mbox"))
                .find("is one of 4 patches"),
            std::string::npos);
}

TEST(PatchesFromMbox, AMessageWithoutADiffIsAnError) {
  EXPECT_EQ(error_of(patches_from_mbox(v3(k_cover), "cover.mbox")),
            "cover.mbox: no patches in it (only a cover letter and replies, or nothing at all)");
  EXPECT_NE(error_of(patches_from_mbox("", "empty.mbox")).find("no patches in it"), std::string::npos);
  std::string no_diff = "From x Mon Mar  4 12:00:00 2024\nSubject: [PATCH] just talk\n\nHello.\n";
  EXPECT_EQ(error_of(patches_from_mbox(no_diff, "talk.mbox")),
            "talk.mbox:1: '[PATCH] just talk' has no diff in it: is it a patch? (numalab reads plain-text "
            "mail, not MIME attachments)");
}

TEST(FormatPatchName, FollowsGitFormatPatch) {
  // Expected names are those git 2.39 gave the same subjects.
  EXPECT_EQ(format_patch_name(2, "[PATCH v3 2/5] mm: foo bar"), "0002-mm-foo-bar.patch");
  EXPECT_EQ(format_patch_name(7,
                              "[PATCH] mm/mempolicy: a very long subject line that goes on and on... past "
                              "sixty-four characters!"),
            "0007-mm-mempolicy-a-very-long-subject-line-that-goes-on-a.patch");
  EXPECT_EQ(format_patch_name(8, "[PATCH] ...[weird] ..dots..  &&  under_score."),
            "0008-.-weird-.dots.-under_score.patch");
  EXPECT_EQ(format_patch_name(12, "[PATCH 12/12]"), "0012.patch");
  EXPECT_EQ(format_patch_name(1, "Re: [PATCH 1/2] fix it."), "0001-fix-it.patch");
}

TEST(HasDiff, NeedsMinusAndPlusHeadersOrAGitDiffLine) {
  EXPECT_TRUE(has_diff("text\n--- a/x\n+++ b/x\n"));
  EXPECT_TRUE(has_diff("diff --git a/x b/x\nold mode 100644\nnew mode 100755\n"));
  EXPECT_FALSE(has_diff("---\n mm/x.c | 2 +-\n"));
  EXPECT_FALSE(has_diff("> --- a/x\n> +++ b/x\n"));
}

}  // namespace
}  // namespace numalab::kernel
