#pragma once
// Applies a patch series to a kernel source tree with GNU patch, one patch after another:
//   env -u POSIXLY_CORRECT LC_ALL=C patch -pN --batch --forward --no-backup-if-mismatch
//       --reject-file=- --quoting-style=literal -d TREE -i FILE
// (an argv, never a shell). Each patch's bytes, as loaded and hashed, are written to a private
// temporary file first, so what applies is what the cache key covers, also for mbox messages.
//
// Contract: a failure leaves TREE half-patched (the patches before the failing one applied, the
// failing one partly applied; no .rej or .orig files) and says nothing else about it. Callers
// apply into a fresh copy of the base, mark the copy complete only after success, and throw a
// failed copy away; nothing here tries to undo a patch.

#include <filesystem>
#include <string>
#include <vector>

#include "kernel/patch_series.hpp"
#include "util/deadline.hpp"
#include "util/error.hpp"

namespace numalab::kernel {

struct AppliedSeries {
  int applied = 0;                    // patches
  std::vector<std::string> warnings;  // "patch 2 of 5: 0002-mm-foo.patch: mm/x.c hunk #1 (fuzz 2)"
};

// Errors: bad_input when a patch does not apply, naming it ("patch 2 of 5: 0002-mm-foo.patch"),
// where it is listed, its strip level, each failing file and hunk ("mm/mempolicy.c: hunk #2
// FAILED at 120"), and the last lines GNU patch printed; cannot_run when GNU patch cannot be run
// or does not finish before the deadline, or TREE is not a folder.
util::Result<AppliedSeries> apply_patch_series(const PatchSeries& series, const std::filesystem::path& tree,
                                               util::Deadline deadline);

}  // namespace numalab::kernel
