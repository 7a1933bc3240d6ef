#pragma once
// A bundle on disk: a gzip'd tar (GNU tar as a child process, from an argv) of one folder. Entries
// are staged as symbolic links to their files (a memory dump is not copied) and tar follows them.
// Unpacking treats the archive as untrusted: every name must stay inside one top folder, and what
// comes out must be plain files and folders.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bundle/bundle_entry.hpp"
#include "util/error.hpp"

namespace numalab::bundle {

// "run-0007": the bundle's top folder.
std::string bundle_folder_name(const std::string& run_id);

// Writes FOLDER/ENTRY... into `archive` (through ARCHIVE.partial, renamed when complete); returns
// its size in bytes.
util::Result<std::uint64_t> write_bundle_archive(const std::vector<BundleEntry>& entries,
                                                 const std::string& folder,
                                                 const std::filesystem::path& archive);

// Names in an archive, as `tar --list` prints them.
util::Result<std::vector<std::string>> list_bundle_archive(const std::filesystem::path& archive);

// Unpacks `archive` into the empty folder `into`; returns the folder that holds bundle.json.
util::Result<std::filesystem::path> unpack_bundle_archive(const std::filesystem::path& archive,
                                                          const std::filesystem::path& into);

}  // namespace numalab::bundle
