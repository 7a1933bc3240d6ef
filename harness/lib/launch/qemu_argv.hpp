#pragma once
// The QEMU command line for one lab machine, as an argv vector. A pure function of its inputs, so
// tests can check exactly what QEMU will be told.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "agent/protocol.hpp"
#include "lab/lab.hpp"

namespace numalab::launch {

enum class Accel { kvm, tcg };
std::string_view to_string(Accel a);

struct VmSockets {
  std::filesystem::path qmp;      // numalab listens; QEMU connects (server=off)
  std::filesystem::path console;  // the serial console (ttyS0)
  std::filesystem::path agent;    // the virtio-serial port org.numalab.agent
};

// One NIC on a lab [[network]]: a virtio-net or e1000e device whose frames go, as datagrams, from
// the Unix socket `local` (bound by this QEMU) to `remote` (bound by the peer machine's QEMU).
struct VmNic {
  std::string id;  // the netdev id, also what QMP set_link names: "net-storage"
  std::string mac;
  std::filesystem::path local;
  std::filesystem::path remote;
  int host_mtu = 0;  // virtio-net only; 0: QEMU's default (1500). e1000e stays at 1500.
  lab::NicModel model = lab::NicModel::virtio_net;
};

// The guest's RAM as files, one per node with memory (DIR/nodeN), for the startup cache: shared
// with the files when a booted guest is saved (migration with x-ignore-shared then writes only the
// device state), mapped copy-on-write when one is restored (runs never write to the cache).
struct RamFiles {
  std::filesystem::path dir;
  bool copy_on_write = false;
};

struct VmSpec {
  std::string qemu_binary = "qemu-system-x86_64";
  std::string name;
  std::vector<lab::NumaNode> nodes;
  model::NodeDistanceMatrix distances;
  std::filesystem::path kernel;
  std::filesystem::path initrd;
  std::string kernel_cmdline;
  Accel accel = Accel::tcg;
  bool sandbox = true;  // -sandbox on, where this QEMU supports it
  VmSockets sockets;
  std::vector<VmNic> nics;
  std::optional<RamFiles> ram_files;  // nullopt: anonymous RAM (memory-backend-ram)
  bool vmgenid = false;   // a VM generation ID device, a new ID each start: a restored guest re-seeds
  bool incoming = false;  // -incoming defer: a restore, waiting for QMP migrate-incoming
};

std::vector<std::string> build_qemu_argv(const VmSpec& spec);

// The kernel command line: numalab's console and agent arguments, then the machine's own.
std::string build_kernel_cmdline(const std::vector<std::string>& machine_cmdline);

}  // namespace numalab::launch
