#include "network/network_setup.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "common/proc_file.hpp"
#include "util/unique_fd.hpp"
#include "workload/common/net_address.hpp"

namespace numalab::guest {

namespace {

using workload::Ipv4;

std::string errno_text(const char* what, const std::string& dev) {
  return std::string(what) + " " + dev + ": " + std::strerror(errno);
}

ifreq request_for(const std::string& dev) {
  ifreq r{};
  std::strncpy(r.ifr_name, dev.c_str(), IFNAMSIZ - 1);
  return r;
}

void put_address(ifreq& r, const Ipv4& a) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  std::memcpy(&sin.sin_addr, a.data(), a.size());
  static_assert(sizeof sin <= sizeof r.ifr_addr);
  std::memcpy(&r.ifr_addr, &sin, sizeof sin);
}

// Address, netmask, IFF_UP. Returns "" or what failed.
std::string configure(int sock, const std::string& dev, const Ipv4& address, const Ipv4& mask) {
  ifreq r = request_for(dev);
  put_address(r, address);
  if (::ioctl(sock, SIOCSIFADDR, &r) != 0) return errno_text("SIOCSIFADDR", dev);
  r = request_for(dev);
  put_address(r, mask);
  if (::ioctl(sock, SIOCSIFNETMASK, &r) != 0) return errno_text("SIOCSIFNETMASK", dev);
  r = request_for(dev);
  if (::ioctl(sock, SIOCGIFFLAGS, &r) != 0) return errno_text("SIOCGIFFLAGS", dev);
  r.ifr_flags = static_cast<short>(r.ifr_flags | IFF_UP);
  if (::ioctl(sock, SIOCSIFFLAGS, &r) != 0) return errno_text("SIOCSIFFLAGS", dev);
  return "";
}

int mtu_of(int sock, const std::string& dev) {
  ifreq r = request_for(dev);
  return ::ioctl(sock, SIOCGIFMTU, &r) == 0 ? r.ifr_mtu : 0;
}

void write_hosts(const agent::Plan& plan, const std::filesystem::path& root, NetworkSetup& out) {
  std::string text = "127.0.0.1\tlocalhost\n";
  for (const auto& [name, address] : plan.hosts)
    if (workload::parse_ipv4(address)) text += address + "\t" + name + "\n";
  std::ofstream f(root / "etc/hosts", std::ios::trunc);
  if (!(f << text).flush()) out.problems.push_back("cannot write " + (root / "etc/hosts").string());
}

bool has_carrier(const std::filesystem::path& root, const std::string& dev) {
  auto text = read_proc_file(root / "sys/class/net" / dev / "carrier", 16);
  return text && text->starts_with("1");
}

// An emulated NIC that negotiates (e1000e) reports its link a few hundred milliseconds after
// IFF_UP; a mount before that fails with "No route to host". Waits for every device's carrier,
// at most k_carrier_wait in all; a device still without one is a problem.
constexpr auto k_carrier_wait = std::chrono::seconds(10);

void await_carriers(const std::filesystem::path& root, const std::vector<std::string>& devs,
                    NetworkSetup& out) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> waiting = devs;
  while (!waiting.empty()) {
    std::erase_if(waiting, [&](const std::string& dev) { return has_carrier(root, dev); });
    if (waiting.empty() || std::chrono::steady_clock::now() - start >= k_carrier_wait) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (const auto& dev : waiting)
    out.problems.push_back(dev + ": no carrier " + std::to_string(k_carrier_wait.count()) +
                           " s after it was brought up (the link is down)");
}

}  // namespace

std::string device_with_mac(const std::filesystem::path& root, const std::string& mac) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root / "sys/class/net", ec)) {
    auto text = read_proc_file(entry.path() / "address", 256);
    if (text && workload::same_mac(*text, mac)) return entry.path().filename().string();
  }
  return "";
}

NetworkSetup set_up_network(const agent::Plan& plan, const std::filesystem::path& root) {
  NetworkSetup out;
  util::UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sock) {
    out.problems.push_back(std::string("socket(AF_INET): ") + std::strerror(errno));
    return out;
  }
  const Ipv4 loopback{127, 0, 0, 1};
  if (auto e = configure(sock.get(), "lo", loopback, *workload::netmask_from_prefix(8)); !e.empty())
    out.problems.push_back(e);
  else
    out.configured.emplace_back("lo 127.0.0.1/8");

  std::vector<std::string> up;
  for (const auto& i : plan.interfaces) {
    const std::string what = "interface " + i.mac + " (network " + i.network + ")";
    auto address = workload::parse_ipv4(i.address);
    auto mask = workload::netmask_from_prefix(i.prefix);
    if (!address || !mask) {
      out.problems.push_back(what + ": bad address " + i.address + "/" + std::to_string(i.prefix));
      continue;
    }
    const std::string dev = device_with_mac(root, i.mac);
    if (dev.empty()) {
      out.problems.push_back(what + ": no device under " + (root / "sys/class/net").string() +
                             " has this MAC");
      continue;
    }
    if (auto e = configure(sock.get(), dev, *address, *mask); !e.empty()) {
      out.problems.push_back(what + ": " + e);
      continue;
    }
    out.configured.push_back(dev + " (" + i.network + ") " + i.address + "/" + std::to_string(i.prefix) +
                             " mtu " + std::to_string(mtu_of(sock.get(), dev)));
    up.push_back(dev);
  }
  await_carriers(root, up, out);
  write_hosts(plan, root, out);
  return out;
}

}  // namespace numalab::guest
