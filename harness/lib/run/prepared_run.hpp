#pragma once
// What a run needs before its first VM starts, as plain values: each machine's resolved kernel and
// guest image, and the accelerator. Made once (run_preparation.hpp) and handed forward: nothing
// after it looks a kernel up by name again.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "image/initramfs.hpp"
#include "kernel/kernel_resolver.hpp"
#include "lab/lab.hpp"
#include "launch/accel_probe.hpp"
#include "launch/startup_cache.hpp"

namespace numalab::run {

// Each machine's kernel, by machine name: resolved (and built) once, then handed forward.
using LabKernels = std::map<std::string, kernel::ResolvedKernel>;

struct PreparedMachine {
  const lab::Machine* machine = nullptr;  // in the lab the run was prepared for
  kernel::ResolvedKernel kernel;
  image::BuiltImage image;
  // --boot restore: the startup cache entry every run restores (startup_preparation.hpp), or why
  // this machine boots fresh after all. Both empty: --boot fresh.
  std::optional<launch::StartupEntry> startup;
  std::string fresh_because;
};

struct PreparedRun {
  std::vector<PreparedMachine> machines;  // in the lab's order
  launch::AccelChoice accel;
  std::string qemu_version;  // --boot restore: the first line of `QEMU --version`, in every startup key
};

}  // namespace numalab::run
