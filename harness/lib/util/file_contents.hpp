#pragma once
// A whole file in, a whole file out. Reading names the file and the reason when it fails; writing
// is atomic (a temporary file beside the target, then rename(2)), so a reader sees the old text or
// the new, never half of it, and a full disk or a missing folder is an error, never a short file.

#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace numalab::util {

// The file's bytes, at most `max_bytes` of them (its beginning). The error (cannot_run) says
// "cannot read FILE: REASON".
Result<std::string> read_file(const std::filesystem::path& file,
                              std::size_t max_bytes = std::numeric_limits<std::size_t>::max());

struct WriteOptions {
  // fsync the file before the rename and its folder after: the text survives a power cut, at
  // the cost of waiting for the disk. For records that are expensive to make again.
  bool sync = false;
  // The new file's permissions exactly; by default 0666 less the umask, as for any new file.
  std::optional<std::filesystem::perms> mode;
};

// Replaces (or creates) `file` with `bytes`. The folder must exist. The error (cannot_run) says
// "cannot write FILE: REASON" ("No space left on device"); the file is then as it was before.
Result<void> write_file(const std::filesystem::path& file, std::string_view bytes,
                        const WriteOptions& options = {});

}  // namespace numalab::util
