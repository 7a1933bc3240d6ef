#include "kernel/bzimage_header.hpp"

#include <gtest/gtest.h>

#include "util/cache_dir.hpp"

namespace numalab::kernel {
namespace {

// A setup header as Documentation/x86/boot.rst lays it out, version string at 0x200 + pointer.
std::string header(std::string_view magic, unsigned protocol, unsigned pointer, std::string_view version) {
  std::string h(0x1000, '\0');
  h.replace(0x202, magic.size(), magic);
  h[0x206] = static_cast<char>(protocol & 0xff);
  h[0x207] = static_cast<char>(protocol >> 8);
  h[0x20E] = static_cast<char>(pointer & 0xff);
  h[0x20F] = static_cast<char>(pointer >> 8);
  if (0x200 + pointer + version.size() <= h.size()) h.replace(0x200 + pointer, version.size(), version);
  return h;
}

TEST(BzImageHeader, ReadsTheReleaseFromTheVersionString) {
  auto h = header("HdrS", 0x20f, 0x3a0, "6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP");
  EXPECT_EQ(bzimage_release_from_bytes(h), "6.1.0-56-amd64");
}

TEST(BzImageHeader, RejectsWhatIsNotABzImage) {
  EXPECT_EQ(bzimage_release_from_bytes("short"), std::nullopt);
  EXPECT_EQ(bzimage_release_from_bytes(header("ELF!", 0x20f, 0x3a0, "6.1")), std::nullopt);
  EXPECT_EQ(bzimage_release_from_bytes(header("HdrS", 0x1ff, 0x3a0, "6.1")), std::nullopt);
  EXPECT_EQ(bzimage_release_from_bytes(header("HdrS", 0x20f, 0xf00, "6.1")), std::nullopt) << "outside";
  EXPECT_EQ(bzimage_release_from_bytes(header("HdrS", 0x20f, 0x3a0, "\x01\x02")), std::nullopt);
}

TEST(BzImageHeader, ReadsDebiansKernelWhenItIsThere) {
  const auto image = util::cache_dir() / "kernels/debian/current/vmlinuz";
  if (!std::filesystem::exists(image))
    GTEST_SKIP() << "Debian's kernel is not in the cache: run kernels/fetch-debian-kernel";
  auto release = bzimage_release(image);
  ASSERT_TRUE(release);
  EXPECT_TRUE(release->starts_with("6.1.")) << *release;
}

}  // namespace
}  // namespace numalab::kernel
