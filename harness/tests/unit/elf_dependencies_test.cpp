// The ELF reader behind the images' shared-library closure (the NFS server's programs), on the
// host's own programs and on malformed input, which must give errors, never a crash.

#include "image/elf_dependencies.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "image/nfs_userland.hpp"
#include "util/temp_dir.hpp"

namespace numalab::image {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(ElfDependenciesTest, ReadsTheInterpreterAndNeededOfAHostProgram) {
  auto deps = read_elf_dependencies(slurp("/usr/bin/true"));
  ASSERT_TRUE(deps) << deps.error().message;
  EXPECT_EQ(deps->interpreter, "/lib64/ld-linux-x86-64.so.2");
  EXPECT_TRUE(has(deps->needed, "libc.so.6"));
}

TEST(ElfDependenciesTest, ClosureFollowsLibrariesOfLibraries) {
  auto closure = library_closure({"/usr/bin/true"}, host_library_dirs());
  ASSERT_TRUE(closure) << closure.error().message;
  std::vector<std::string> names;
  for (const auto& l : closure->libraries) names.push_back(l.soname);
  EXPECT_TRUE(has(names, "libc.so.6"));
  EXPECT_TRUE(has(names, "ld-linux-x86-64.so.2"));  // libc's own DT_NEEDED
  EXPECT_EQ(closure->interpreters, std::vector<std::string>{"/lib64/ld-linux-x86-64.so.2"});
}

TEST(ElfDependenciesTest, AMissingLibraryNamesWhoNeedsIt) {
  auto closure = library_closure({"/usr/bin/true"}, {"/nonexistent"});
  ASSERT_FALSE(closure);
  EXPECT_NE(closure.error().message.find("/usr/bin/true needs libc.so.6"), std::string::npos)
      << closure.error().message;
}

TEST(ElfDependenciesTest, MalformedInputIsAnErrorNeverACrash) {
  EXPECT_FALSE(read_elf_dependencies(""));
  EXPECT_FALSE(read_elf_dependencies("#!/bin/sh\necho hi\n"));
  const std::string real = slurp("/usr/bin/true");
  ASSERT_GT(real.size(), 4096u);
  // Every truncation of the headers, and bytes flipped all over them: a value or an error.
  for (std::size_t n = 0; n < 4096; n += 7) (void)read_elf_dependencies(std::string_view(real).substr(0, n));
  for (std::size_t i = 16; i < 1024; ++i) {
    std::string mangled = real;
    mangled[i] = static_cast<char>(mangled[i] ^ 0xff);
    (void)read_elf_dependencies(mangled);
  }
  std::string no_class = real;
  no_class[4] = 1;  // 32-bit
  EXPECT_FALSE(read_elf_dependencies(no_class));
}

TEST(NfsUserlandTest, MissingPackagesSayHowToFetchThem) {
  auto dir = util::ScopedTempDir::create();
  ASSERT_TRUE(dir);
  auto entries = nfs_server_image_entries(dir->path());
  ASSERT_FALSE(entries);
  EXPECT_NE(entries.error().message.find("scripts/fetch-nfs-userland"), std::string::npos)
      << entries.error().message;
}

// A run that started while the agent was being relinked packed half a binary, and the guest
// printed "Failed to execute /init (error -8)" and never said hello.
TEST(AgentBinary, AnAgentCutShortIsRefusedBeforeItIsPacked) {
  const std::string whole = slurp("/bin/true");  // coreutils, essential on Debian
  ASSERT_GT(whole.size(), 4096u);
  EXPECT_EQ(incomplete_elf(whole), std::nullopt);
  for (std::size_t cut : {whole.size() - 1, whole.size() / 2, std::size_t{100}}) {
    auto why = incomplete_elf(std::string_view(whole).substr(0, cut));
    ASSERT_TRUE(why) << cut;
    EXPECT_NE(why->find("past its " + std::to_string(cut) + " bytes"), std::string::npos) << *why;
  }
  EXPECT_EQ(incomplete_elf("#!/bin/sh\necho hello\n"), "not a 64-bit little-endian ELF file");
  EXPECT_EQ(incomplete_elf(""), "not a 64-bit little-endian ELF file");
}

}  // namespace
}  // namespace numalab::image
