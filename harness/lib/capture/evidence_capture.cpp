#include "capture/evidence_capture.hpp"

namespace numalab::capture {

void StagedEvidence::take(launch::Vm& vm, const std::filesystem::path& dir, result::Verdict verdict,
                          const CaptureIo& io) {
  run_staged_capture(vm.qmp(), {dir, std::string(result::to_string(verdict)), vm.started_at()}, options_, io);
}

CaptureOptions options_for(const kernel::ResolvedKernel& kernel, CaptureOptions base) {
  std::error_code ec;
  for (const auto& candidate :
       {kernel.build_dir.empty() ? std::filesystem::path() : kernel.build_dir / "vmlinux",
        kernel.image.parent_path() / "vmlinux"}) {
    if (!candidate.empty() && std::filesystem::is_regular_file(candidate, ec)) {
      base.vmlinux = candidate;
      break;
    }
  }
  // Virtual addresses in the dump only help a reader that has the vmlinux; without one, QEMU's walk
  // of every vCPU's page tables is pure cost (over 10 s for a panicked Debian kernel under TCG).
  if (!base.vmlinux) base.dump_paging = false;
  return base;
}

}  // namespace numalab::capture
