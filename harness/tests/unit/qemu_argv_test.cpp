#include "launch/qemu_argv.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace numalab::launch {
namespace {

VmSpec three_node_spec() {
  VmSpec s;
  s.name = "guest";
  s.nodes = {{0, {0, 1}, 512ull << 20, {}}, {1, {2, 3}, 0, {}}, {2, {}, 256ull << 20, {}}};
  s.distances = {{10, 16, 22}, {16, 10, 22}, {22, 22, 10}};
  s.kernel = "/k/vmlinuz";
  s.initrd = "/i/image.cpio";
  s.kernel_cmdline = build_kernel_cmdline({"numa_balancing=1"});
  s.sockets = {"/run/x/qmp.sock", "/run/x/console.sock", "/run/x/agent.sock"};
  return s;
}

bool has_pair(const std::vector<std::string>& argv, const std::string& opt, const std::string& val) {
  for (std::size_t i = 0; i + 1 < argv.size(); ++i)
    if (argv[i] == opt && argv[i + 1] == val) return true;
  return false;
}

TEST(QemuArgv, DeclaresEveryNodeWithItsCpusAndMemory) {
  auto argv = build_qemu_argv(three_node_spec());
  EXPECT_TRUE(has_pair(argv, "-smp", "4,sockets=2,cores=2,threads=1")) << "a socket per node";
  EXPECT_TRUE(has_pair(argv, "-m", "768M"));
  EXPECT_TRUE(has_pair(argv, "-object", "memory-backend-ram,id=mem0,size=512M"));
  EXPECT_TRUE(has_pair(argv, "-numa", "node,nodeid=0,memdev=mem0,cpus=0-1"));
  EXPECT_TRUE(has_pair(argv, "-numa", "node,nodeid=1,cpus=2-3")) << "memory-less: no memdev";
  EXPECT_TRUE(has_pair(argv, "-object", "memory-backend-ram,id=mem2,size=256M"));
  EXPECT_TRUE(has_pair(argv, "-numa", "node,nodeid=2,memdev=mem2")) << "CPU-less: no cpus=";
}

TEST(QemuArgv, GivesEveryRemoteDistance) {
  auto argv = build_qemu_argv(three_node_spec());
  EXPECT_TRUE(has_pair(argv, "-numa", "dist,src=0,dst=1,val=16"));
  EXPECT_TRUE(has_pair(argv, "-numa", "dist,src=2,dst=0,val=22"));
  EXPECT_EQ(std::count(argv.begin(), argv.end(), "-numa"), 3 + 6);
}

TEST(QemuArgv, SplitsNonContiguousCpuLists) {
  auto s = three_node_spec();
  s.nodes = {{0, {0, 1, 4}, 256ull << 20, {}}, {1, {2, 3}, 256ull << 20, {}}};
  s.distances = {{10, 20}, {20, 10}};
  auto argv = build_qemu_argv(s);
  EXPECT_TRUE(has_pair(argv, "-numa", "node,nodeid=0,memdev=mem0,cpus=0-1,cpus=4"));
  EXPECT_TRUE(has_pair(argv, "-smp", "5,sockets=5,cores=1,threads=1")) << "uneven nodes: a socket per CPU";
}

TEST(QemuArgv, ConnectsToNumalabsSocketsAndNeverUsesAShell) {
  auto argv = build_qemu_argv(three_node_spec());
  EXPECT_EQ(argv[0], "qemu-system-x86_64");
  EXPECT_TRUE(has_pair(argv, "-chardev", "socket,id=qmp,path=/run/x/qmp.sock,server=off"));
  EXPECT_TRUE(has_pair(argv, "-serial", "chardev:console"));
  EXPECT_TRUE(has_pair(argv, "-device", "virtserialport,bus=vser0.0,chardev=agent,name=org.numalab.agent"));
  EXPECT_TRUE(
      has_pair(argv, "-append",
               "console=ttyS0,115200 rdinit=/init sysrq_always_enabled no_timer_check numa_balancing=1"));
  EXPECT_TRUE(has_pair(argv, "-action", "panic=pause"));
  EXPECT_TRUE(has_pair(argv, "-device", "vmcoreinfo")) << "dump-guest-memory needs it for a readable dump";
  EXPECT_NE(std::find(argv.begin(), argv.end(), "-no-reboot"), argv.end());
  for (const auto& a : argv) EXPECT_NE(a.rfind("sh", 0) == 0 && a.size() == 2, true);
}

TEST(QemuArgv, SandboxAndAcceleratorFollowTheSpec) {
  auto s = three_node_spec();
  auto argv = build_qemu_argv(s);
  EXPECT_TRUE(has_pair(argv, "-accel", "tcg"));
  EXPECT_NE(std::find(argv.begin(), argv.end(), "-sandbox"), argv.end());
  s.accel = Accel::kvm;
  s.sandbox = false;
  argv = build_qemu_argv(s);
  EXPECT_TRUE(has_pair(argv, "-accel", "kvm"));
  EXPECT_TRUE(has_pair(argv, "-cpu", "host"));
  EXPECT_EQ(std::find(argv.begin(), argv.end(), "-sandbox"), argv.end());
}

TEST(QemuArgv, ANicIsADatagramSocketPairWithTheLabsModel) {
  auto s = three_node_spec();
  s.nics = {
      {"net0", "52:54:00:4e:00:01", "/run/x/net0.sock", "/run/y/net0.sock", 65520, lab::NicModel::virtio_net},
      {"net1", "52:54:00:4e:01:01", "/run/x/net1.sock", "/run/z/net1.sock", 65520, lab::NicModel::e1000e}};
  auto argv = build_qemu_argv(s);
  EXPECT_TRUE(has_pair(argv, "-netdev",
                       "dgram,id=net0,local.type=unix,local.path=/run/x/net0.sock,"
                       "remote.type=unix,remote.path=/run/y/net0.sock"));
  EXPECT_TRUE(has_pair(argv, "-device", "virtio-net-pci,netdev=net0,mac=52:54:00:4e:00:01,host_mtu=65520"));
  EXPECT_TRUE(has_pair(argv, "-device", "e1000e,netdev=net1,mac=52:54:00:4e:01:01"))
      << "e1000e has no host_mtu; it stays at 1500";
}

}  // namespace
}  // namespace numalab::launch
