// What QEMU is given for a lab machine (run/vm_spec.hpp): a pure mapping, checked field by field.

#include "run/vm_spec.hpp"

#include <gtest/gtest.h>

namespace numalab::run {
namespace {

const char* k_lab = R"(name = "pair"
[[machine]]
name = "server"
cmdline = ["nfsd.nfs4_disable_idmapping=1"]
  [[machine.node]]
  cpus = [0]
  memory = "256M"
[[machine]]
name = "client"
kernel = "nomemalloc"
cmdline = ["min_free_kbytes=512"]
  [[machine.node]]
  cpus = [0, 1]
  memory = "224M"
  [[machine.node]]
  cpus = []
  memory = "224M"
[[network]]
name = "storage"
machines = ["server", "client"]
nic = "e1000e"
[[workload]]
name = "topology-check"
machine = "client"
[kernel.nomemalloc]
base = "debian-6.1"
series = "patches/swap-nfs-no-memalloc"
config = ["numa-lab"]
cmdline = ["hung_task_timeout_secs=10"]
)";

class VmSpecFor : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = lab::parse_lab_text(k_lab, "lab/pair.toml");
    ASSERT_TRUE(parsed) << parsed.error().message;
    lab_ = *parsed;
    links_ = lab_links(lab_);
  }
  launch::VmSpec spec_of(const std::string& machine, const std::string& kernel) {
    PreparedMachine p{lab_.find_machine(machine),
                      {kernel, "/cache/" + kernel + "/bzImage", "sha", {}, "6.1", "", {}},
                      {"/cache/images/k.cpio", "k", true},
                      std::nullopt,
                      ""};
    return vm_spec_for({lab_, p, accel_, links_.at(machine), sockets_, "/usr/bin/qemu-system-x86_64"});
  }

  lab::Lab lab_;
  std::map<std::string, MachineLinks> links_;
  launch::AccelChoice accel_{launch::Accel::kvm, "probe", false};
  std::map<std::string, std::filesystem::path> sockets_{{"server", "/run/1/server"},
                                                        {"client", "/tmp/s/client"}};
};

TEST_F(VmSpecFor, TheMachinesTopologyKernelImageAndAccelerator) {
  const auto spec = spec_of("client", "nomemalloc");
  EXPECT_EQ(spec.name, "client");
  EXPECT_EQ(spec.qemu_binary, "/usr/bin/qemu-system-x86_64");
  ASSERT_EQ(spec.nodes.size(), 2u);
  EXPECT_EQ(spec.nodes[1].cpus, std::vector<int>{});
  EXPECT_EQ(spec.nodes[1].memory_bytes, 224ull << 20);
  EXPECT_EQ(spec.distances, (model::NodeDistanceMatrix{{10, 20}, {20, 10}}));
  EXPECT_EQ(spec.kernel, "/cache/nomemalloc/bzImage");
  EXPECT_EQ(spec.initrd, "/cache/images/k.cpio");
  EXPECT_EQ(spec.accel, launch::Accel::kvm);
  EXPECT_FALSE(spec.sandbox) << "a QEMU without seccomp runs without -sandbox";
}

TEST_F(VmSpecFor, TheCommandLineIsNumalabsThenTheMachinesThenItsKernelTables) {
  EXPECT_EQ(spec_of("client", "nomemalloc").kernel_cmdline,
            launch::build_kernel_cmdline({"min_free_kbytes=512", "hung_task_timeout_secs=10"}));
  EXPECT_EQ(spec_of("client", "debian").kernel_cmdline, launch::build_kernel_cmdline({"min_free_kbytes=512"}))
      << "--kernel debian has no [kernel.NAME] table to add";
}

TEST_F(VmSpecFor, EachNicSendsFromItsOwnSocketToItsPeers) {
  const auto client = spec_of("client", "debian");
  ASSERT_EQ(client.nics.size(), 1u);
  EXPECT_EQ(client.nics[0].id, "net0");
  EXPECT_EQ(client.nics[0].mac, "52:54:00:4e:00:02");
  EXPECT_EQ(client.nics[0].local, "/tmp/s/client/net0.sock");
  EXPECT_EQ(client.nics[0].remote, "/run/1/server/net0.sock");
  EXPECT_EQ(client.nics[0].model, lab::NicModel::e1000e);
  EXPECT_EQ(client.nics[0].host_mtu, k_lab_network_mtu);
  const auto server = spec_of("server", "debian");
  ASSERT_EQ(server.nics.size(), 1u);
  EXPECT_EQ(server.nics[0].local, "/run/1/server/net0.sock");
  EXPECT_EQ(server.nics[0].remote, "/tmp/s/client/net0.sock");
}

}  // namespace
}  // namespace numalab::run
