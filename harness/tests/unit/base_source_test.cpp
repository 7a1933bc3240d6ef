// A user's own kernel git tree as the base: base = { tree = "...", ref = "..." }.

#include "kernel/base_source.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "util/child_process.hpp"
#include "util/temp_dir.hpp"

namespace numalab::kernel {
namespace {

class GitBase : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v git >/dev/null") != 0) GTEST_SKIP() << "git is not installed";
    auto d = util::ScopedTempDir::create("git-base-");
    ASSERT_TRUE(d);
    dir_ = std::make_unique<util::ScopedTempDir>(std::move(*d));
    std::filesystem::create_directories(tree() / "mm");
    git({"init", "-q"});
    std::ofstream(tree() / "Makefile") << "VERSION = 6\nPATCHLEVEL = 1\n";
    std::ofstream(tree() / "mm" / "mempolicy.c") << "int policy = 1;\n";
    git({"add", "."});
    git({"commit", "-q", "-m", "v6.1"});
    git({"tag", "v6.1"});
  }

  std::filesystem::path tree() const { return dir_->path() / "linux"; }
  std::filesystem::path cache() const { return dir_->path() / "cache"; }

  void git(std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", tree().string(), "-c", "user.name=t", "-c", "user.email=t@t"});
    auto out = util::capture_output(args, util::Deadline::after(std::chrono::seconds(30)));
    ASSERT_TRUE(out) << out.error().message;
  }

  util::Result<BaseSource> base(const std::string& ref) {
    return ensure_base_source({"", tree().string(), ref}, cache(), [](const std::string&) {});
  }

  static std::string read(const std::filesystem::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
  }

 private:
  std::unique_ptr<util::ScopedTempDir> dir_;
};

TEST_F(GitBase, ExportsTheCommitOfTheRefNotTheWorkingTree) {
  std::ofstream(tree() / "mm" / "mempolicy.c") << "int policy = 2;  /* uncommitted */\n";
  auto b = base("v6.1");
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_TRUE(b->identity.starts_with("git ")) << b->identity;
  EXPECT_EQ(b->identity.size(), 4u + 40u) << "the identity is the full commit id";
  EXPECT_EQ(read(b->dir / "mm" / "mempolicy.c"), "int policy = 1;\n");
  EXPECT_TRUE(b->dir.string().starts_with(cache().string())) << "the user's tree is never built in";
}

TEST_F(GitBase, TheSameCommitIsExportedOnceAndANewCommitIsANewBase) {
  auto first = base("v6.1");
  ASSERT_TRUE(first) << first.error().message;
  std::ofstream(first->dir / "exported-once") << "";
  auto again = base("v6.1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->identity, first->identity);
  EXPECT_TRUE(std::filesystem::exists(again->dir / "exported-once"));

  std::ofstream(tree() / "mm" / "mempolicy.c") << "int policy = 3;\n";
  git({"commit", "-q", "-am", "next"});
  auto next = base("HEAD");
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_NE(next->identity, first->identity);
  EXPECT_EQ(read(next->dir / "mm" / "mempolicy.c"), "int policy = 3;\n");
}

TEST_F(GitBase, AnUnknownRefIsBadInputNamingTreeAndRef) {
  auto b = base("v9.9");
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind, util::ErrorKind::bad_input);
  EXPECT_NE(b.error().message.find("v9.9"), std::string::npos) << b.error().message;
  EXPECT_NE(b.error().message.find(tree().string()), std::string::npos) << b.error().message;
}

TEST(BaseSource, AnUnknownBaseNameSaysWhatIsAccepted) {
  auto b = ensure_base_source({"debian-5.10", std::nullopt, std::nullopt}, "/nonexistent",
                              [](const std::string&) {});
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().kind, util::ErrorKind::bad_input);
  EXPECT_NE(b.error().message.find("debian-6.1"), std::string::npos) << b.error().message;
}

}  // namespace
}  // namespace numalab::kernel
