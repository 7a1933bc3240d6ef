#pragma once
// The staged capture (staged_capture.hpp) as the hook a MachineSession calls before it stops a
// hung or crashed guest's QEMU.

#include "capture/capture_options.hpp"
#include "kernel/kernel_resolver.hpp"
#include "run/machine_session.hpp"

namespace numalab::capture {

run::MachineSession::EvidenceCapture make_evidence_capture(CaptureOptions options);

// `base` with the kernel's vmlinux: a built [kernel.NAME]'s, or one beside a bzImage given by path.
CaptureOptions options_for(const kernel::ResolvedKernel& kernel, CaptureOptions base);

}  // namespace numalab::capture
