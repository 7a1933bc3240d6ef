#include "launch/qemu_argv.hpp"

#include <algorithm>
#include <numeric>

namespace numalab::launch {

namespace {

std::string mebibytes(std::uint64_t bytes) { return std::to_string(bytes >> 20) + "M"; }

std::uint64_t total_memory(const std::vector<lab::NumaNode>& nodes) {
  return std::accumulate(nodes.begin(), nodes.end(), std::uint64_t{0},
                         [](std::uint64_t s, const lab::NumaNode& n) { return s + n.memory_bytes; });
}

int total_cpus(const std::vector<lab::NumaNode>& nodes) {
  std::size_t n = 0;
  for (const auto& node : nodes) n += node.cpus.size();
  return static_cast<int>(n);
}

// The CPU topology must agree with the NUMA topology, or the guest kernel warns that a last-level
// cache spans nodes (topology_sane). One socket per node when every node with CPUs has the same
// number of them, numbered contiguously in node order; otherwise one socket per CPU.
std::string smp_option(const std::vector<lab::NumaNode>& nodes) {
  const int cpus = total_cpus(nodes);
  std::size_t per_node = 0;
  int next = 0;
  bool uniform = true;
  for (const auto& node : nodes) {
    if (node.cpus.empty()) continue;
    if (per_node == 0) per_node = node.cpus.size();
    uniform = uniform && node.cpus.size() == per_node;
    for (int cpu : node.cpus) uniform = uniform && cpu == next++;
  }
  const int cores = uniform && per_node > 0 ? static_cast<int>(per_node) : 1;
  return std::to_string(cpus) + ",sockets=" + std::to_string(cpus / cores) +
         ",cores=" + std::to_string(cores) + ",threads=1";
}

std::string memory_backend(const VmSpec& spec, const lab::NumaNode& node, const std::string& id) {
  const std::string size = ",id=" + id + ",size=" + mebibytes(node.memory_bytes);
  if (!spec.ram_files) return "memory-backend-ram" + size;
  const auto file = spec.ram_files->dir / ("node" + std::to_string(node.id));
  return "memory-backend-file" + size + ",mem-path=" + file.string() +
         ",share=" + (spec.ram_files->copy_on_write ? "off" : "on");
}

void add_numa(std::vector<std::string>& argv, const VmSpec& spec) {
  for (const auto& node : spec.nodes) {
    std::string numa = "node,nodeid=" + std::to_string(node.id);
    if (node.memory_bytes > 0) {
      const std::string id = "mem" + std::to_string(node.id);
      argv.insert(argv.end(), {"-object", memory_backend(spec, node, id)});
      numa += ",memdev=" + id;
    }
    // One cpus= per contiguous range: "cpus=0-1,cpus=4".
    const std::string list = model::format_cpu_list(node.cpus);
    for (std::size_t start = 0; start < list.size();) {
      std::size_t comma = std::min(list.find(',', start), list.size());
      numa += ",cpus=" + list.substr(start, comma - start);
      start = comma + 1;
    }
    argv.insert(argv.end(), {"-numa", numa});
  }
  const auto& d = spec.distances;
  for (std::size_t i = 0; i < d.size(); ++i)
    for (std::size_t j = 0; j < d[i].size(); ++j)
      if (i != j)
        argv.insert(argv.end(), {"-numa", "dist,src=" + std::to_string(i) + ",dst=" + std::to_string(j) +
                                              ",val=" + std::to_string(d[i][j])});
}

void add_chardevs(std::vector<std::string>& argv, const VmSockets& s) {
  argv.insert(
      argv.end(),
      {"-chardev", "socket,id=qmp,path=" + s.qmp.string() + ",server=off", "-mon", "chardev=qmp,mode=control",
       "-chardev", "socket,id=console,path=" + s.console.string() + ",server=off", "-serial",
       "chardev:console", "-device", "virtio-serial-pci,id=vser0", "-chardev",
       "socket,id=agent,path=" + s.agent.string() + ",server=off", "-device",
       "virtserialport,bus=vser0.0,chardev=agent,name=" + std::string(agent::k_port_name)});
}

void add_nics(std::vector<std::string>& argv, const std::vector<VmNic>& nics) {
  for (const auto& n : nics) {
    argv.insert(argv.end(),
                {"-netdev", "dgram,id=" + n.id + ",local.type=unix,local.path=" + n.local.string() +
                                ",remote.type=unix,remote.path=" + n.remote.string()});
    std::string device = std::string(n.model == lab::NicModel::e1000e ? "e1000e" : "virtio-net-pci") +
                         ",netdev=" + n.id + ",mac=" + n.mac;
    if (n.model == lab::NicModel::virtio_net && n.host_mtu > 0)
      device += ",host_mtu=" + std::to_string(n.host_mtu);
    argv.insert(argv.end(), {"-device", device});
  }
}

}  // namespace

std::string_view to_string(Accel a) { return a == Accel::kvm ? "kvm" : "tcg"; }

std::string build_kernel_cmdline(const std::vector<std::string>& machine_cmdline) {
  // sysrq_always_enabled: numalab sends alt-sysrq-w/l/t when a guest hangs; Debian's kernel masks
  // them otherwise (CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE=0x01b6 has no process dumps).
  // no_timer_check: under TCG on a busy host the boot-time check that the IO-APIC timer ticks can
  // miss its window and panic ("IO-APIC + timer doesn't work!", seen with two labs on two cores);
  // an emulated timer is not broken hardware.
  std::string line = "console=ttyS0,115200 rdinit=/init sysrq_always_enabled no_timer_check";
  for (const auto& arg : machine_cmdline) line += " " + arg;
  return line;
}

std::vector<std::string> build_qemu_argv(const VmSpec& spec) {
  std::vector<std::string> argv = {
      spec.qemu_binary,
      "-name",
      "guest=" + spec.name + ",debug-threads=on",
      "-nodefaults",
      "-no-user-config",
      "-display",
      "none",
      "-no-reboot",
      "-machine",
      "q35",
      "-accel",
      spec.accel == Accel::kvm ? "kvm" : "tcg",
      "-cpu",
      spec.accel == Accel::kvm ? "host" : "max",
      "-smp",
      smp_option(spec.nodes),
      "-m",
      mebibytes(total_memory(spec.nodes)),
  };
  add_numa(argv, spec);
  argv.insert(argv.end(), {"-kernel", spec.kernel.string(), "-initrd", spec.initrd.string(), "-append",
                           spec.kernel_cmdline});
  add_chardevs(argv, spec.sockets);
  // A panicked guest pauses (GUEST_PANICKED on QMP) instead of vanishing, so evidence can be taken.
  // vmcoreinfo: the guest kernel tells QEMU where its VMCOREINFO note is, so dumps can be read.
  argv.insert(argv.end(), {"-device", "pvpanic", "-action", "panic=pause", "-device", "vmcoreinfo"});
  add_nics(argv, spec.nics);
  if (spec.vmgenid) argv.insert(argv.end(), {"-device", "vmgenid,guid=auto"});
  if (spec.incoming) argv.insert(argv.end(), {"-incoming", "defer"});
  if (spec.sandbox)
    argv.insert(argv.end(), {"-sandbox",
                             "on,obsolete=deny,elevateprivileges=deny,spawn=deny,"
                             "resourcecontrol=deny"});
  return argv;
}

}  // namespace numalab::launch
