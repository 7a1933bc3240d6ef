#pragma once
// Everything a run needs before a VM starts, found or built first, so that bad input starts
// nothing: the kernel of every machine (resolved and built once, then handed forward as values),
// the QEMU binary, each machine's guest image, and the accelerator.

#include <optional>
#include <string>

#include "kernel/kernel_builder.hpp"
#include "run/prepared_run.hpp"
#include "run/run_settings.hpp"
#include "run/status.hpp"

namespace numalab::run {

// The kernel of every machine: its own `kernel = ...` (relative to the lab file), or `override`
// for all of them (--kernel, relative to the working folder). Each name is resolved once.
util::Result<LabKernels> resolve_lab_kernels(const lab::Lab& lab, const std::optional<std::string>& override,
                                             const kernel::BuildOptions& build);
// `k` for every machine of the lab (a compare's run, --kernel).
LabKernels same_kernel_everywhere(const lab::Lab& lab, const kernel::ResolvedKernel& k);

// The images and the accelerator, for kernels resolved before.
util::Result<PreparedRun> prepare_run(const lab::Lab& lab, const LabKernels& kernels,
                                      const RunSettings& settings, StatusSink& status);

}  // namespace numalab::run
