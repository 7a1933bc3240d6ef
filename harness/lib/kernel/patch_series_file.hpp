#pragma once
// The quilt-style `series` file of a patch-series folder: one patch file per line, in the order
// they apply, each optionally followed by `-pN` (the strip level, 1 when not given).
//
//   # Comments start at '#' at the beginning of a line or after a blank, as in quilt.
//   0001-mm-mempolicy-fix-rebind.patch
//   fixes/cpuset-no-rebind.patch -p0    # a patch made with `diff -u` inside the tree

#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace numalab::kernel {

struct SeriesEntry {
  std::string path;  // relative to the series folder, normalised ("a/../b.patch" is "b.patch")
  int strip = 1;     // patch -pN
  int line = 0;      // of the series file, 1-based
};

// Checks the text only (the patch files are the loader's business). `file` names the series file
// in messages, which read "patches/x/series:4: ...". Errors (bad_input): an absolute path or one
// leading out of the folder, an option other than -pN, a patch listed twice.
util::Result<std::vector<SeriesEntry>> parse_series_file(std::string_view text, const std::string& file);

}  // namespace numalab::kernel
