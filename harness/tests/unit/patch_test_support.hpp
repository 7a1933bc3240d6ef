#pragma once
// Temporary folders and files for the patch-series tests.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "util/temp_dir.hpp"

namespace numalab::kernel::patch_testing {

inline std::string golden_patch_dir() { return std::string(NUMALAB_GOLDEN_DIR) + "/patch"; }

inline std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

// A fresh temporary folder per test.
class PatchTempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = util::ScopedTempDir::create("numalab-patch-test-");
    ASSERT_TRUE(t) << t.error().message;
    tmp_.emplace(std::move(*t));
  }
  const std::filesystem::path& dir() const { return tmp_->path(); }
  void write(const std::string& name, const std::string& text) const { write_text(dir() / name, text); }

 private:
  std::optional<util::ScopedTempDir> tmp_;
};

// The tree the golden format-patch-v3 series applies to (see tests/golden/patch/README.md).
inline void write_v3_base_tree(const std::filesystem::path& tree) {
  std::string mempolicy;
  for (int i = 1; i <= 40; ++i) mempolicy += "line " + std::to_string(i) + "\n";
  write_text(tree / "mm/mempolicy.c", mempolicy);
  write_text(tree / "mm/cpuset.c", "int cpuset_x;\n");
}

}  // namespace numalab::kernel::patch_testing
