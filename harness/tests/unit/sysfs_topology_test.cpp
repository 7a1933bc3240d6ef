#include "workload/common/sysfs_topology.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace numalab::workload {
namespace {

namespace fs = std::filesystem;

// A fresh folder per test that looks like the parts of / the agent reads: a fake sysfs and procfs.
class SysfsTopologyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "numalab-sysfs-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  void node(int id, const std::string& cpulist, std::uint64_t mem_kb, const std::string& distance) {
    std::string dir = "sys/devices/system/node/node" + std::to_string(id) + "/";
    write(dir + "cpulist", cpulist + "\n");
    write(dir + "distance", distance + "\n");
    write(dir + "meminfo", "Node " + std::to_string(id) + " MemTotal:       " + std::to_string(mem_kb) +
                               " kB\nNode " + std::to_string(id) + " MemFree:        1000 kB\n");
  }
  void three_nodes() {
    write("sys/devices/system/cpu/online", "0-3\n");
    write("sys/devices/system/node/online", "0-2\n");
    node(0, "0-1", 745000, "10 16 22");
    node(1, "2-3", 770000, "16 10 22");
    node(2, "", 250000, "22 22 10");
  }
  fs::path root_;
};

TEST(SysfsParsingTest, ParsesCpuLists) {
  EXPECT_EQ(parse_cpu_list("0-3,8,10-11\n").value(), (std::vector<int>{0, 1, 2, 3, 8, 10, 11}));
  EXPECT_EQ(parse_cpu_list("5").value(), (std::vector<int>{5}));
  EXPECT_TRUE(parse_cpu_list("").value().empty());
  EXPECT_TRUE(parse_cpu_list("\n").value().empty());
  EXPECT_EQ(parse_cpu_list("3,1,1").value(), (std::vector<int>{1, 3}));
  for (const char* bad : {"3-1", "a", "1,,2", "-1", "1-", "0-70000", "99999999999999"})
    EXPECT_FALSE(parse_cpu_list(bad).has_value()) << bad;
  EXPECT_FALSE(parse_cpu_list("0-64", 64).has_value());
  EXPECT_TRUE(parse_cpu_list("0-63", 64).has_value());
}

TEST_F(SysfsTopologyTest, ReadsOnlineNodes) {
  three_nodes();
  auto t = read_sysfs_topology(root_);
  ASSERT_TRUE(t.has_value()) << t.error();
  model::Topology want{{{0, {0, 1}, 745000}, {1, {2, 3}, 770000}, {2, {}, 250000}},
                       {{10, 16, 22}, {16, 10, 22}, {22, 22, 10}}};
  EXPECT_EQ(*t, want);
}

TEST_F(SysfsTopologyTest, KeepsOnlyOnlineCpus) {
  three_nodes();
  write("sys/devices/system/cpu/online", "0-2\n");
  auto t = read_sysfs_topology(root_);
  ASSERT_TRUE(t.has_value()) << t.error();
  EXPECT_EQ(t->nodes[1].cpus, (std::vector<int>{2}));
}

TEST_F(SysfsTopologyTest, SkipsOfflineNodes) {
  three_nodes();
  write("sys/devices/system/node/online", "0,2\n");
  node(0, "0-1", 745000, "10 22");
  node(2, "", 250000, "22 10");
  auto t = read_sysfs_topology(root_);
  ASSERT_TRUE(t.has_value()) << t.error();
  ASSERT_EQ(t->nodes.size(), 2U);
  EXPECT_EQ(t->nodes[1].id, 2);
  EXPECT_EQ(t->distances, (model::NodeDistanceMatrix{{10, 22}, {22, 10}}));
}

TEST_F(SysfsTopologyTest, KernelWithoutNumaIsOneNode) {
  write("sys/devices/system/cpu/online", "0-1\n");
  write("proc/meminfo", "MemTotal:        1000000 kB\n");
  auto t = read_sysfs_topology(root_);
  ASSERT_TRUE(t.has_value()) << t.error();
  EXPECT_EQ(*t, (model::Topology{{{0, {0, 1}, 1000000}}, {{10}}}));
}

TEST_F(SysfsTopologyTest, NamesTheFileThatIsMissingOrBad) {
  three_nodes();
  fs::remove(root_ / "sys/devices/system/node/node1/meminfo");
  auto t = read_sysfs_topology(root_);
  ASSERT_FALSE(t.has_value());
  EXPECT_NE(t.error().find("node1/meminfo"), std::string::npos) << t.error();

  three_nodes();
  write("sys/devices/system/node/node2/distance", "22 x 10\n");
  t = read_sysfs_topology(root_);
  ASSERT_FALSE(t.has_value());
  EXPECT_NE(t.error().find("node2/distance: not a number"), std::string::npos) << t.error();
}

TEST_F(SysfsTopologyTest, ReadsProcFiles) {
  write("proc/meminfo", "MemTotal:        2048000 kB\nMemFree: 5 kB\n");
  write("proc/uptime", "12.34 40.00\n");
  write("sys/devices/system/cpu/online", "0-3\n");
  EXPECT_EQ(read_mem_total_kb(root_).value(), 2048000U);
  EXPECT_DOUBLE_EQ(read_uptime_s(root_).value(), 12.34);
  EXPECT_EQ(read_online_cpus(root_).value().size(), 4U);
  fs::remove(root_ / "proc/uptime");
  EXPECT_FALSE(read_uptime_s(root_).has_value());
}

}  // namespace
}  // namespace numalab::workload
