#pragma once
// What a kernel build tells whoever watches it, as values: the command line prints them (a
// redrawn progress line on a terminal, a line every 30 s in CI logs); nothing parses them.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>

namespace numalab::kernel {

// Something worth a line: unpacking the base, applying the series, waiting for another build.
struct KernelNote {
  std::string kernel;  // "" when it is not about one kernel
  std::string text;
};

struct KernelBuildStarted {
  std::string kernel;
  std::string key;
  bool cold = false;  // no earlier build in the work tree: every file compiles
};

// About twice a second while make runs.
struct KernelBuildProgress {
  std::string kernel;
  std::uint64_t steps = 0;                // compile steps so far
  std::optional<std::uint64_t> expected;  // of a cold build, when an earlier one counted them
  std::string phase;                      // "CC", "LD", ...
  std::string target;                     // "mm/mempolicy.o"
  double elapsed_s = 0;
};

// The kernel is ready to boot: built now, or found in the cache.
struct KernelReady {
  std::string kernel;
  std::string key;
  bool cached = false;
};

using BuildEvent = std::variant<KernelNote, KernelBuildStarted, KernelBuildProgress, KernelReady>;
using BuildEvents = std::function<void(const BuildEvent&)>;

// "[#########-----]  61%  CC mm/mempolicy.o  7m10s", or "412 steps  CC mm/mempolicy.o  0m41s".
std::string format_build_progress(const KernelBuildProgress& p);

}  // namespace numalab::kernel
