#pragma once
// bundle.json: what a reproducer bundle holds and where it came from. Versioned: a numalab reads
// the formats up to its own and refuses newer ones with a message that says so.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace numalab::bundle {

inline constexpr int k_bundle_format_version = 1;

// The kernel a machine booted, with what it takes to build it again.
struct BundledKernel {
  std::string name;  // "debian", a [kernel.NAME], or the path given
  std::string release;
  std::string sha256;     // of the image booted
  std::string path;       // the image booted, on the machine that ran it
  std::string cache_key;  // a kernel numalab built: its build key; else ""
  std::string base;       // the base identity ("debian linux-source-6.1 6.1.192-2")
  std::string series;     // as the [kernel.NAME] table names it
  std::string series_hash;
  std::vector<std::string> config;  // fragment names
  std::string image;                // the bzImage in the bundle ("" without --with-kernel)
};

struct BundledMachine {
  std::string name;
  BundledKernel kernel;
};

// A [kernel.NAME]'s patch series, copied into the bundle.
struct BundledSeries {
  std::string kernel;  // NAME
  std::string entry;   // where load_patch_series reads it in the bundle: "patches/NAME" or a file in it
  bool matches_build = false;  // its content hash equals the built kernel's series hash
};

struct BundleFile {
  std::string name;  // relative to the bundle's folder
  std::uint64_t bytes = 0;
};

struct BundleManifest {
  int format_version = k_bundle_format_version;
  std::string numalab_version;  // "0.1.0", with " (git v0.1-12-gabc)" when built from a checkout
  std::string run_id, lab, lab_file, verdict, reason, started_at, created_at;
  double duration_s = 0;
  bool with_dump = false, with_kernel = false;
  std::vector<BundledMachine> machines;
  std::vector<BundledSeries> series;
  std::vector<BundleFile> files;
  std::vector<std::string> notes;  // what is missing and why

  const BundledMachine* find_machine(const std::string& name) const;
};

nlohmann::json to_json(const BundledKernel& k);  // kernel.json, and each machine's "kernel"
nlohmann::json to_json(const BundleManifest& m);
// bad_input when it is not a manifest, or one of a newer format.
util::Result<BundleManifest> manifest_from_json(const nlohmann::json& j);

}  // namespace numalab::bundle
