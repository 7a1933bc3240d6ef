#include "launch/startup_key.hpp"

#include "util/sha256.hpp"

namespace numalab::launch {

std::vector<std::string> keyed_argv(VmSpec spec) {
  // Covered by content, or different in every run of the same machine.
  spec.kernel = "KERNEL";
  spec.initrd = "INITRD";
  spec.sockets = {"QMP", "CONSOLE", "AGENT"};
  for (auto& nic : spec.nics) {
    nic.local = "NIC-LOCAL";
    nic.remote = "NIC-REMOTE";
  }
  spec.ram_files = RamFiles{"RAM", false};
  spec.incoming = false;
  return build_qemu_argv(spec);
}

std::string startup_key(const StartupInputs& in) {
  std::string text = "numalab startup cache 1\n";
  text += "kernel " + in.kernel_sha256 + "\nimage " + in.image_key + "\nqemu " + in.qemu_version + "\n";
  // One argument per line, each with its length: no two command lines give the same text.
  for (const auto& arg : keyed_argv(in.spec)) text += std::to_string(arg.size()) + " " + arg + "\n";
  return util::sha256_hex(text).substr(0, 24);
}

}  // namespace numalab::launch
