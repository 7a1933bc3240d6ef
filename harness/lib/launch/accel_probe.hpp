#pragma once
// Chooses KVM or TCG. KVM is used only after a real, timed probe boot of the lab's kernel printed
// to the console; the answer is cached per host and QEMU version, since the probe costs seconds.

#include <filesystem>
#include <string>

#include "launch/qemu_argv.hpp"
#include "util/error.hpp"

namespace numalab::launch {

struct AccelChoice {
  Accel accel = Accel::tcg;
  std::string reason;  // said to the user: why this accelerator
};

struct ProbeInputs {
  std::string qemu_binary = "qemu-system-x86_64";
  std::filesystem::path kernel;
  std::filesystem::path initrd;
  std::filesystem::path cache_dir;
  std::filesystem::path work_dir;  // private, for the probe's sockets and logs
  std::chrono::seconds timeout{15};
};

// NUMALAB_ACCEL=kvm|tcg in the environment skips the probe.
AccelChoice choose_accel(const ProbeInputs& in);

// Whether this QEMU was built with seccomp, i.e. accepts -sandbox.
bool qemu_supports_sandbox(const std::string& qemu_binary);

}  // namespace numalab::launch
