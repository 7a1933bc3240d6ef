#pragma once
// Progress of a kbuild run, from its output: which phase ("CC", "LD", "OBJCOPY") and which file,
// how many compile steps so far, and how far along when the size of a cold build is known.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/build_events.hpp"

namespace numalab::kernel {

class BuildProgress {
 public:
  explicit BuildProgress(std::optional<std::uint64_t> expected_steps) : expected_(expected_steps) {}
  void feed(std::string_view bytes);  // any slice of make's output
  std::uint64_t steps() const { return steps_; }
  // What it says now, as the event the build sends.
  KernelBuildProgress snapshot(std::string kernel, double elapsed_s) const;
  // "[#########-----]  61%  CC mm/mempolicy.o  2m10s" or "412 steps  CC mm/mempolicy.o  0m05s".
  std::string line(double elapsed_s) const { return format_build_progress(snapshot("", elapsed_s)); }

 private:
  void take(std::string_view line);
  std::optional<std::uint64_t> expected_;
  std::uint64_t steps_ = 0;
  std::string partial_;
  std::string phase_, target_;
};

}  // namespace numalab::kernel
