#pragma once
// A private (0700) temporary folder that removes itself.

#include <filesystem>
#include <string>

#include "util/error.hpp"

namespace numalab::util {

class ScopedTempDir {
 public:
  static Result<ScopedTempDir> create(const std::string& prefix = "numalab-");
  ScopedTempDir(ScopedTempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  ScopedTempDir& operator=(ScopedTempDir&&) = delete;
  ScopedTempDir(const ScopedTempDir&) = delete;
  ~ScopedTempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit ScopedTempDir(std::filesystem::path p) : path_(std::move(p)) {}
  std::filesystem::path path_;
};

}  // namespace numalab::util
