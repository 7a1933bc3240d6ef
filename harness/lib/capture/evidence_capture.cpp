#include "capture/evidence_capture.hpp"

#include <poll.h>

#include "capture/staged_capture.hpp"

namespace numalab::capture {

namespace {

// Blocks until the console socket has bytes or the deadline passes. A closed console (QEMU gone)
// waits out the deadline instead of spinning.
void wait_for(int fd, util::Deadline deadline) {
  if (fd >= 0) {
    pollfd p{fd, POLLIN, 0};
    const int n = ::poll(&p, 1, deadline.poll_timeout_ms());
    if (n <= 0 || (p.revents & POLLIN)) return;  // the deadline, or bytes to read
  }
  ::poll(nullptr, 0, deadline.poll_timeout_ms());
}

}  // namespace

run::MachineSession::EvidenceCapture make_evidence_capture(CaptureOptions options) {
  return [options = std::move(options)](launch::Vm& vm, const std::filesystem::path& dir,
                                        result::Verdict verdict,
                                        const run::MachineSession::CaptureIo& session_io) {
    CaptureIo io{session_io.pump, session_io.mark,
                 [fd = vm.console_fd()](util::Deadline d) { wait_for(fd, d); }, dir / "console.log"};
    run_staged_capture(vm.qmp(), {dir, std::string(result::to_string(verdict)), vm.started_at()}, options,
                       io);
  };
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
