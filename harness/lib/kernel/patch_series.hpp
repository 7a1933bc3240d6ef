#pragma once
// A patch series: the patches a kernel is built with, in the order they apply, with their bytes.
// It comes from one of:
//   - a folder with a quilt-style `series` file (see patch_series_file.hpp);
//   - an mbox of a posted series: a file given directly, or the only *.mbox of a folder without a
//     `series` file (see patch_mbox.hpp); ordered by "[PATCH n/m]", cover letter and replies left out;
//   - a folder of `git format-patch` files (0001-*.patch ...) without a `series` file, by name.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace numalab::kernel {

enum class SeriesFormat { series_file, mbox, patch_files };

struct Patch {
  std::string name;              // "fixes/a.patch" as the series file names it, the file's name,
                                 // or for an mbox message the name git format-patch gives it
  std::filesystem::path source;  // the file it was read from: the patch file or the mbox
  int line = 0;                  // the series file's line naming it, or the mbox line its message
                                 // starts on; 0 for a folder of patch files
  int position = 0;              // 1-based, in the order of application
  int strip = 1;                 // patch -pN
  std::string content;           // the bytes given to GNU patch
};

struct PatchSeries {
  std::filesystem::path origin;  // the series file, the mbox, or the folder of patch files
  SeriesFormat format = SeriesFormat::series_file;
  std::vector<Patch> patches;

  // For the kernel cache key: SHA-256 (hex) over every patch's position, name, strip level and
  // bytes. Comments, blank lines and spacing of a series file and where the series lies do not
  // change it; any byte of a patch, a strip level, a name or the order does.
  std::string content_hash() const;
  // "patch 2 of 5: 0002-mm-foo.patch"
  std::string describe(const Patch& patch) const;
  // Where the patch is named, for messages: "patches/x/series:4", "numab-v3.mbox:120",
  // "patches/x/0002-mm-foo.patch".
  std::string location(const Patch& patch) const;
};

// `path`: a folder, a `series` file, or an mbox / single patch file. Errors are bad_input and name
// the file and line: a missing patch file, a path leading out of the folder, an unknown option,
// a patch listed twice, an mbox with a message missing or twice, a folder with nothing to apply.
util::Result<PatchSeries> load_patch_series(const std::filesystem::path& path);

// The patches of an mbox's text in the order they apply (loader step, exposed for tests); `mbox`
// names the file in messages and in Patch::source.
util::Result<std::vector<Patch>> patches_from_mbox(std::string_view text, const std::filesystem::path& mbox);

}  // namespace numalab::kernel
