#pragma once
// How the machines of a lab are linked: each machine's NICs (MAC, address, the peer at the other
// end), the names it can reach, the services it provides and the machines whose services its
// workloads wait for. A pure function of the lab, so tests can check it.

#include <map>
#include <string>
#include <vector>

#include "agent/protocol.hpp"
#include "lab/lab.hpp"

namespace numalab::run {

// The MTU of lab networks: a datagram per frame costs the same under TCG whatever its size, and
// 64 KiB frames wrote a swap file over NFS 2.2 times as fast as 1500-byte ones.
inline constexpr int k_lab_network_mtu = 65520;

struct Nic {
  agent::NetInterface interface;  // network name, MAC, address, prefix: what the guest configures
  std::string netdev;             // QEMU's netdev id: "net0" (lab names stay out of QEMU options)
  std::string socket;             // this NIC's socket file name in its machine's socket folder
  std::string peer;               // the machine at the other end
  std::string peer_socket;        // the peer's socket file name in the peer's socket folder
  lab::NicModel model = lab::NicModel::virtio_net;
};

struct MachineLinks {
  std::vector<Nic> nics;
  std::map<std::string, std::string> hosts;  // machine name -> address, for every peer
  std::vector<std::string> services;         // what its workloads provide ("nfs"), in plan order
  std::vector<std::string> waits_for;        // machines whose services must be ready before its plan
};

// One entry per machine of the lab, by name. Network i has addresses 10.77.i.1 and 10.77.i.2 (in
// the order of its `machines`) and MACs 52:54:00:4e:ii:01 and :02.
std::map<std::string, MachineLinks> lab_links(const lab::Lab& lab);

}  // namespace numalab::run
