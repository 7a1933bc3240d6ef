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
  std::string reason;   // said to the user: why this accelerator
  bool sandbox = true;  // this QEMU accepts -sandbox (built with seccomp)
};

struct ProbeInputs {
  std::string qemu_binary = "qemu-system-x86_64";
  std::filesystem::path kernel;
  std::filesystem::path initrd;
  std::filesystem::path cache_dir;
  std::filesystem::path work_dir;  // private, for the probe's sockets and logs
  std::chrono::seconds timeout{15};
  bool sandbox = true;  // for the probe boot itself; choose_accel fills it in
};

// NUMALAB_ACCEL=kvm|tcg in the environment skips the probe. Also says whether this QEMU has
// -sandbox; both answers are cached per host and QEMU version.
AccelChoice choose_accel(const ProbeInputs& in);

// The first line of `QEMU --version` ("QEMU emulator version 7.2.19 (Debian ...)"): part of the probe
// cache's key and of the startup cache's.
util::Result<std::string> qemu_version_line(const std::string& qemu_binary);

// Whether this QEMU was built with seccomp, i.e. accepts -sandbox.
bool qemu_supports_sandbox(const std::string& qemu_binary);

}  // namespace numalab::launch
