#pragma once
// The evidence of a hung or crashed guest, as the run stage asks for it: on the machine's ending
// thread, before its VM is stopped, while the other machines of the lab are still served.
// StagedEvidence is the staged capture (staged_capture.hpp); tests give the run stage a fake.

#include <filesystem>

#include "capture/capture_options.hpp"
#include "capture/staged_capture.hpp"
#include "kernel/kernel_resolver.hpp"
#include "launch/vm.hpp"
#include "result/verdict.hpp"

namespace numalab::capture {

class EvidenceTaker {
 public:
  virtual ~EvidenceTaker() = default;
  // Blocks until the evidence is taken, or soon after io.cancelled() turns true. `dir` is the
  // machine's run folder.
  virtual void take(launch::Vm& vm, const std::filesystem::path& dir, result::Verdict verdict,
                    const CaptureIo& io) = 0;
};

class StagedEvidence final : public EvidenceTaker {
 public:
  explicit StagedEvidence(CaptureOptions options) : options_(std::move(options)) {}
  void take(launch::Vm& vm, const std::filesystem::path& dir, result::Verdict verdict,
            const CaptureIo& io) override;

 private:
  CaptureOptions options_;
};

// `base` with the kernel's vmlinux: a built [kernel.NAME]'s, or one beside a bzImage given by path.
CaptureOptions options_for(const kernel::ResolvedKernel& kernel, CaptureOptions base);

}  // namespace numalab::capture
