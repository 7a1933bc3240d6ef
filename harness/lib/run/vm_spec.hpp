#pragma once
// The VmSpec of one lab machine: a pure mapping from the lab, what was prepared for the machine
// (kernel, image, accelerator) and how it is linked, so tests check exactly what QEMU will be given
// (vm_spec_test.cpp), as qemu_argv_test does for the argv.

#include <filesystem>
#include <map>
#include <string>

#include "launch/qemu_argv.hpp"
#include "run/lab_links.hpp"
#include "run/prepared_run.hpp"

namespace numalab::run {

struct VmSpecInputs {
  const lab::Lab& lab;
  const PreparedMachine& machine;
  const launch::AccelChoice& accel;
  const MachineLinks& links;
  // Every machine's socket folder, by name: a NIC's frames go to its peer's socket.
  const std::map<std::string, std::filesystem::path>& sockets_dirs;
  std::string qemu_binary = "qemu-system-x86_64";
};

// The kernel command line is numalab's own arguments, then the machine's `cmdline`, then its
// [kernel.NAME]'s. Each NIC sends from its own socket to the peer's socket of the same network.
launch::VmSpec vm_spec_for(const VmSpecInputs& in);

}  // namespace numalab::run
