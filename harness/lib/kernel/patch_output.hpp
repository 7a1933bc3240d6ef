#pragma once
// What GNU patch (2.7, LC_ALL=C, --quoting-style=literal) says about a patch it ran: which files
// and hunks failed and why, and which hunks applied only with fuzz. Pure, for unit tests on
// captured output (tests/golden/patch/).

#include <string>
#include <string_view>
#include <vector>

namespace numalab::kernel {

enum class PatchProblemKind {
  hunk_failed,     // "Hunk #2 FAILED at 120."
  no_file,         // "can't find file to patch at input line 4" (wrong -p, or not in this tree)
  reversed,        // "Reversed (or previously applied) patch detected!  Skipping patch."
  already_exists,  // "The next patch would create the file F, which already exists!"
  malformed,       // "patch: **** malformed patch at line 5: ..."
  no_diff,         // "patch: **** Only garbage was found in the patch input."
  fatal,           // any other "patch: **** ..."
};

struct PatchProblem {
  PatchProblemKind kind = PatchProblemKind::fatal;
  std::string file;  // as patch names it; for no_file the name in the diff ("b/mm/x.c")
  int hunk = 0;      // hunk_failed
  int line = 0;      // hunk_failed: where patch looked; no_file, malformed: line of the patch input
  std::string text;  // malformed: the offending line; fatal: patch's message
};

struct PatchOutput {
  std::vector<PatchProblem> problems;
  std::vector<std::string> fuzzed;  // "mm/mempolicy.c hunk #1 (fuzz 1)"
};

PatchOutput parse_patch_output(std::string_view output);

// "mm/mempolicy.c: hunk #2 FAILED at 120", "can't find file to patch: b/mm/x.c (input line 4)".
std::string to_string(const PatchProblem& problem);

// The last `count` non-empty lines of `text`, each indented by two spaces, joined by newlines.
std::string last_lines(std::string_view text, std::size_t count);

}  // namespace numalab::kernel
