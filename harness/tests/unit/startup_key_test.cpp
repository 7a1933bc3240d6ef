// The QEMU options of the startup cache (RAM in files, vmgenid, -incoming) and its key: the same
// machine booted in another run folder has the same key; anything that shapes the booted guest
// gives another.

#include "launch/startup_key.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace numalab::launch {
namespace {

VmSpec two_node_spec(const std::string& run_dir) {
  VmSpec s;
  s.name = "guest";
  s.nodes = {{0, {0, 1}, 512ULL << 20, {}}, {1, {2, 3}, 256ULL << 20, {}}};
  s.distances = {{10, 20}, {20, 10}};
  s.kernel = "/cache/kernels/abc/bzImage";
  s.initrd = "/cache/images/def.cpio";
  s.kernel_cmdline = build_kernel_cmdline({});
  s.sockets = {run_dir + "/qmp.sock", run_dir + "/console.sock", run_dir + "/agent.sock"};
  s.nics = {{"net0", "52:54:00:00:00:01", run_dir + "/net0.sock", run_dir + "/peer.sock", 0, {}}};
  s.vmgenid = true;
  return s;
}

StartupInputs inputs(const std::string& run_dir) {
  return {two_node_spec(run_dir), "kernel-sha", "image-key", "7.2.19"};
}

bool has_pair(const std::vector<std::string>& argv, const std::string& opt, const std::string& val) {
  for (std::size_t i = 0; i + 1 < argv.size(); ++i)
    if (argv[i] == opt && argv[i + 1] == val) return true;
  return false;
}

TEST(StartupArgv, RamInFilesSharedWhenSavedAndCopyOnWriteWhenRestored) {
  auto spec = two_node_spec("/r/0001");
  spec.ram_files = RamFiles{"/dev/shm/numalab/k1", false};
  auto argv = build_qemu_argv(spec);
  EXPECT_TRUE(has_pair(argv, "-object",
                       "memory-backend-file,id=mem0,size=512M,mem-path=/dev/shm/numalab/k1/node0,share=on"));
  EXPECT_TRUE(has_pair(argv, "-object",
                       "memory-backend-file,id=mem1,size=256M,mem-path=/dev/shm/numalab/k1/node1,share=on"));
  EXPECT_TRUE(has_pair(argv, "-device", "vmgenid,guid=auto"));
  EXPECT_EQ(std::find(argv.begin(), argv.end(), "-incoming"), argv.end());

  spec.ram_files->copy_on_write = true;
  spec.incoming = true;
  argv = build_qemu_argv(spec);
  EXPECT_TRUE(has_pair(argv, "-object",
                       "memory-backend-file,id=mem0,size=512M,mem-path=/dev/shm/numalab/k1/node0,share=off"));
  EXPECT_TRUE(has_pair(argv, "-incoming", "defer"));
}

TEST(StartupArgv, WithoutRamFilesTheRamIsAnonymousAsBefore) {
  auto argv = build_qemu_argv(two_node_spec("/r/0001"));
  EXPECT_TRUE(has_pair(argv, "-object", "memory-backend-ram,id=mem0,size=512M"));
}

TEST(StartupKey, TheSameMachineInAnotherRunFolderHasTheSameKey) {
  auto a = inputs("/results/runs/0001/guest");
  auto b = inputs("/tmp/numalab-run-x/guest");
  b.spec.ram_files = RamFiles{"/dev/shm/elsewhere", true};
  b.spec.incoming = true;
  EXPECT_EQ(startup_key(a), startup_key(b));
  EXPECT_EQ(startup_key(a).size(), 24u);
}

TEST(StartupKey, WhatShapesTheBootedGuestMakesAnotherKey) {
  const auto base = startup_key(inputs("/r"));
  auto cmdline = inputs("/r");
  cmdline.spec.kernel_cmdline += " numa_balancing=0";
  auto memory = inputs("/r");
  memory.spec.nodes[1].memory_bytes = 512ULL << 20;
  auto accel = inputs("/r");
  accel.spec.accel = Accel::kvm;
  auto kernel = inputs("/r");
  kernel.kernel_sha256 = "another";
  auto image = inputs("/r");
  image.image_key = "another";
  auto qemu = inputs("/r");
  qemu.qemu_version = "8.1.0";
  auto nic = inputs("/r");
  nic.spec.nics[0].mac = "52:54:00:00:00:02";
  for (const auto* changed : {&cmdline, &memory, &accel, &kernel, &image, &qemu, &nic})
    EXPECT_NE(startup_key(*changed), base);
}

}  // namespace
}  // namespace numalab::launch
