#include "run/vm_spec.hpp"

namespace numalab::run {

launch::VmSpec vm_spec_for(const VmSpecInputs& in) {
  const lab::Machine& m = *in.machine.machine;
  launch::VmSpec spec;
  spec.qemu_binary = in.qemu_binary;
  spec.name = m.name;
  spec.nodes = m.nodes;
  spec.distances = m.distances;
  spec.kernel = in.machine.kernel.image;
  spec.initrd = in.machine.image.path;
  auto cmdline = m.cmdline;
  if (auto k = in.lab.kernels.find(in.machine.kernel.name); k != in.lab.kernels.end())
    cmdline.insert(cmdline.end(), k->second.cmdline.begin(), k->second.cmdline.end());
  spec.kernel_cmdline = launch::build_kernel_cmdline(cmdline);
  spec.accel = in.accel.accel;
  spec.sandbox = in.accel.sandbox;
  const auto& own = in.sockets_dirs.at(m.name);
  for (const auto& nic : in.links.nics)
    spec.nics.push_back({nic.netdev, nic.interface.mac, own / nic.socket,
                         in.sockets_dirs.at(nic.peer) / nic.peer_socket, k_lab_network_mtu, nic.model});
  return spec;
}

}  // namespace numalab::run
