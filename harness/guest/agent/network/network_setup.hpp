#pragma once
// The guest's network, from the plan: the loopback device up as 127.0.0.1/8, and every plan
// interface (found by its MAC under sys/class/net) given its IPv4 address and netmask and brought
// up, with ioctl(2) on a datagram socket (no `ip`, no shell). /etc/hosts names the lab machines.

#include <filesystem>
#include <string>
#include <vector>

#include "agent/protocol.hpp"

namespace numalab::guest {

struct NetworkSetup {
  std::vector<std::string> configured;  // "eth0 (storage) 10.0.0.1/24 mtu 1500"
  std::vector<std::string> problems;    // a missing MAC, a failed ioctl: each says which and why
};

// root: where sys/ and etc/ are ("/" in a guest). Never throws; every failure is a problem and the
// other interfaces are still configured.
NetworkSetup set_up_network(const agent::Plan& plan, const std::filesystem::path& root);

// The device whose sys/class/net/DEV/address is mac, or "" if there is none.
std::string device_with_mac(const std::filesystem::path& root, const std::string& mac);

}  // namespace numalab::guest
