#include "link/port_discovery.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include "workload/common/sysfs_topology.hpp"

namespace numalab::guest {

namespace fs = std::filesystem;

namespace {

constexpr auto k_scan_interval = std::chrono::milliseconds(20);

std::string first_line(const fs::path& p) {
  auto text = workload::read_small_file(p);
  if (!text) return {};
  return text->substr(0, text->find('\n'));
}

// mknod root/dev/<device> from sysfs's "MAJOR:MINOR".
void make_device_node(const fs::path& root, const std::string& device) {
  unsigned major_no = 0, minor_no = 0;
  std::string dev = first_line(root / "sys/class/virtio-ports" / device / "dev");
  if (std::sscanf(dev.c_str(), "%u:%u", &major_no, &minor_no) != 2) return;
  ::mknod((root / "dev" / device).c_str(), S_IFCHR | 0600, makedev(major_no, minor_no));
}

// "vport0p0 'org.qemu.guest_agent.0', vport0p1 ''" for the error message.
std::string ports_seen(const fs::path& root) {
  std::string seen;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root / "sys/class/virtio-ports", ec)) {
    if (!seen.empty()) seen += ", ";
    seen += e.path().filename().string() + " '" + first_line(e.path() / "name") + "'";
  }
  return seen.empty() ? "none" : seen;
}

}  // namespace

std::string find_port_device(const fs::path& root, const std::string& port_name) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root / "sys/class/virtio-ports", ec))
    if (first_line(e.path() / "name") == port_name) return e.path().filename().string();
  return {};
}

std::expected<util::UniqueFd, std::string> open_agent_port(const fs::path& root, const std::string& port_name,
                                                           util::Deadline deadline) {
  std::string last_error;
  for (;;) {
    std::string device = find_port_device(root, port_name);
    if (!device.empty()) {
      fs::path node = root / "dev" / device;
      util::UniqueFd fd(::open(node.c_str(), O_RDWR | O_CLOEXEC | O_NOCTTY));
      if (!fd && errno == ENOENT) {
        make_device_node(root, device);
        fd.reset(::open(node.c_str(), O_RDWR | O_CLOEXEC | O_NOCTTY));
      }
      if (fd) return fd;
      last_error = "; open " + node.string() + ": " + std::strerror(errno);
    }
    if (deadline.expired()) break;
    util::SteadyClock::duration left = deadline.at() - util::SteadyClock::now();
    std::this_thread::sleep_for(std::clamp<util::SteadyClock::duration>(left, {}, k_scan_interval));
  }
  std::error_code ec;
  if (!fs::exists(root / "sys/class/virtio-ports", ec))
    return std::unexpected("no " + (root / "sys/class/virtio-ports").string() +
                           ": the kernel has no virtio console driver (CONFIG_VIRTIO_CONSOLE, module "
                           "virtio_console) or no virtio-serial device (QEMU: -device virtio-serial)");
  return std::unexpected("no virtio-serial port named " + port_name +
                         " appeared (ports seen: " + ports_seen(root) + ")" + last_error +
                         "; QEMU needs -device virtserialport,name=" + port_name);
}

}  // namespace numalab::guest
