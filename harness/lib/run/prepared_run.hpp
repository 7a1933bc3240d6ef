#pragma once
// What a run needs before its first VM starts, as plain values: each machine's resolved kernel and
// guest image, and the accelerator. Made once (run_preparation.hpp) and handed forward: nothing
// after it looks a kernel up by name again.

#include <map>
#include <string>
#include <vector>

#include "image/initramfs.hpp"
#include "kernel/kernel_resolver.hpp"
#include "lab/lab.hpp"
#include "launch/accel_probe.hpp"

namespace numalab::run {

// Each machine's kernel, by machine name: resolved (and built) once, then handed forward.
using LabKernels = std::map<std::string, kernel::ResolvedKernel>;

struct PreparedMachine {
  const lab::Machine* machine = nullptr;  // in the lab the run was prepared for
  kernel::ResolvedKernel kernel;
  image::BuiltImage image;
};

struct PreparedRun {
  std::vector<PreparedMachine> machines;  // in the lab's order
  launch::AccelChoice accel;
};

}  // namespace numalab::run
