#pragma once
// One file of a reproducer bundle: its name in the bundle and where its bytes come from.

#include <filesystem>
#include <string>
#include <vector>

namespace numalab::bundle {

struct BundleEntry {
  std::string name;              // relative to the bundle's folder: "machines/guest/console.log"
  std::filesystem::path source;  // a file taken as it is; empty when `text` is the content
  std::string text;              // a file numalab writes (bundle.json, reports.json, ...)
};

// Adds `name` from `source` when that is a regular file; returns whether it did.
bool add_file_if_present(std::vector<BundleEntry>& entries, std::string name,
                         const std::filesystem::path& source);

}  // namespace numalab::bundle
