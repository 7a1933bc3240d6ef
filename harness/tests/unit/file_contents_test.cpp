// util::read_file and util::write_file: the whole file, errors that name it, and a write that
// cannot finish (a full disk, a missing folder) is an error that leaves the old file as it was.
// util::tail_of_file: the end of a log for an error message.

#include "util/file_contents.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "util/file_tail.hpp"
#include "util/temp_dir.hpp"

namespace numalab::util {
namespace {

class FileContents : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = ScopedTempDir::create("numalab-file-");
    ASSERT_TRUE(dir);
    dir_.emplace(std::move(*dir));
  }
  std::filesystem::path path(const std::string& name) const { return dir_->path() / name; }

  std::optional<ScopedTempDir> dir_;
};

TEST_F(FileContents, ReadsTheWholeFileOrItsBeginning) {
  std::string bytes(200000, 'x');
  bytes[0] = '\0';
  bytes.back() = 'y';
  std::ofstream(path("big"), std::ios::binary) << bytes;
  auto all = read_file(path("big"));
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(*all, bytes);
  auto head = read_file(path("big"), 10);
  ASSERT_TRUE(head);
  EXPECT_EQ(*head, bytes.substr(0, 10));
  std::ofstream(path("empty")).close();
  EXPECT_EQ(read_file(path("empty")).value_or("?"), "");
}

TEST_F(FileContents, AFileThatCannotBeReadIsAnErrorThatNamesIt) {
  auto missing = read_file(path("nope.toml"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::cannot_run);
  EXPECT_EQ(missing.error().message,
            "cannot read " + path("nope.toml").string() + ": No such file or directory");
  auto folder = read_file(dir_->path());
  ASSERT_FALSE(folder);
  EXPECT_NE(folder.error().message.find("Is a directory"), std::string::npos) << folder.error().message;
}

TEST_F(FileContents, WriteReplacesTheFileAndLeavesNoTemporaryBehind) {
  ASSERT_TRUE(write_file(path("meta.json"), "old\n"));
  ASSERT_TRUE(write_file(path("meta.json"), "new\n", {.sync = true, .mode = std::nullopt}));
  EXPECT_EQ(read_file(path("meta.json")).value_or(""), "new\n");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_->path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(FileContents, WriteGivesTheModeAskedFor) {
  ASSERT_TRUE(write_file(path("script"), "#!/bin/sh\n", {.mode = std::filesystem::perms(0750)}));
  struct stat st {};
  ASSERT_EQ(::stat(path("script").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
}

TEST_F(FileContents, AMissingFolderIsAnErrorThatNamesTheFile) {
  auto r = write_file(path("no/such/folder/summary.json"), "{}\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::cannot_run);
  EXPECT_EQ(r.error().message,
            "cannot write " + path("no/such/folder/summary.json").string() + ": No such file or directory");
}

// A disk that fills up during the write, made real with RLIMIT_FSIZE in a child process (write(2)
// then fails with EFBIG, as it fails with ENOSPC on a full disk): the error says so, the file keeps
// its old text, and no temporary file is left behind.
TEST_F(FileContents, AWriteThatDoesNotFitFailsAndKeepsTheOldFile) {
  ASSERT_TRUE(write_file(path("record.json"), "old\n"));
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    auto r = write_file(path("record.json"), std::string(100000, 'z'));
    const bool says_so =
        !r && r.error().message.starts_with("cannot write " + path("record.json").string() + ": ") &&
        r.error().message.find("too large") != std::string::npos;
    ::_exit(says_so ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "write_file did not fail with a message naming the file and EFBIG";
  EXPECT_EQ(read_file(path("record.json")).value_or(""), "old\n");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_->path())) ++entries;
  EXPECT_EQ(entries, 1) << "the temporary file is removed";
}

TEST_F(FileContents, TheTailOfALogIsItsLastLinesIndentedAndCut) {
  std::string log;
  for (int i = 1; i <= 12; ++i) log += "line " + std::to_string(i) + "\n";
  log += std::string(400, 'w') + "\n";
  ASSERT_TRUE(write_file(path("qemu.log"), log));
  EXPECT_EQ(tail_of_file(path("qemu.log"), 3), "  line 11\n  line 12\n  " + std::string(300, 'w') + "...\n");
  EXPECT_EQ(tail_of_file(path("qemu.log")).find("line 5"), std::string::npos) << "8 lines by default";
  EXPECT_NE(tail_of_file(path("qemu.log")).find("line 6"), std::string::npos);
}

TEST_F(FileContents, AnEmptyOrMissingLogSaysWhatTheCallerAsks) {
  ASSERT_TRUE(write_file(path("empty.log"), ""));
  EXPECT_EQ(tail_of_file(path("empty.log"), 4, "(QEMU printed nothing)"), "  (QEMU printed nothing)\n");
  EXPECT_EQ(tail_of_file(path("missing.log")), "  (the log is empty)\n");
}

}  // namespace
}  // namespace numalab::util
