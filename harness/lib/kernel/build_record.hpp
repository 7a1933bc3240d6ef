#pragma once
// A built kernel's record, CACHE/kernels/built/KEY/meta.json: what the kernel was built from (the
// inputs of its cache key), with which compiler, when, and how long it took. The builder writes it
// last, so a build folder with a readable record is a finished build. Its one reader and writer.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace numalab::kernel {

struct BuildRecord {
  std::string name;                 // the [kernel.NAME] it was built for
  std::string key;                  // KernelCacheKey, 24 hex digits: the folder's name
  std::string base;                 // the base's identity: "debian linux-source-6.1 6.1.x", "git <sha>"
  std::string series;               // the patch series as the lab named it; "" for none
  std::string series_hash;          // the series' content hash
  std::uint64_t patches = 0;        // how many patches the series has
  std::vector<std::string> config;  // the config fragments, as the lab named them
  std::string config_hash;          // of the resolved .config
  std::string compiler;             // "gcc (Debian 12.2.0-14) 12.2.0"
  std::string built_at;             // ISO 8601 UTC
  double build_seconds = 0;

  bool operator==(const BuildRecord&) const = default;
};

// DIR/meta.json. Members it lacks are empty (older records have fewer). An error (cannot_run) when
// the file is missing or unreadable, or is not a JSON object: a build under way, or not numalab's.
util::Result<BuildRecord> read_build_record(const std::filesystem::path& build_dir);

// Writes DIR/meta.json (atomically; a full disk is an error).
util::Result<void> write_build_record(const std::filesystem::path& build_dir, const BuildRecord& record);

}  // namespace numalab::kernel
