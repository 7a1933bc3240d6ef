#pragma once
// The key of a booted guest in the startup cache (issue 17's "application startup cache"): what
// shapes the state a guest reaches at its agent's hello. The kernel and the guest image by content,
// the QEMU binary's version, and the QEMU command line with what differs between runs of the same
// machine left out (the run folder's sockets, the RAM files' folder, whether this start saves or
// restores). Any other change (a node's memory, the kernel command line, a NIC, the accelerator)
// makes another key, so a restore never brings back a guest booted otherwise.

#include <string>

#include "launch/qemu_argv.hpp"

namespace numalab::launch {

struct StartupInputs {
  VmSpec spec;                // as this run would boot it
  std::string kernel_sha256;  // the bzImage's content
  std::string image_key;      // the guest initramfs' content key
  std::string qemu_version;   // "7.2.19"
};

// 24 hex digits of SHA-256 over the inputs above.
std::string startup_key(const StartupInputs& in);

// The command line the key covers: `spec`'s argv with the run's own paths replaced by placeholders.
std::vector<std::string> keyed_argv(VmSpec spec);

}  // namespace numalab::launch
