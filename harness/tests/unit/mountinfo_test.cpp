// The parsers the clean-state fingerprint reads the guest with: /proc/self/mountinfo, one field of
// a task's status, a task's cgroup v2 path. Untrusted text: malformed input gives nothing, never a
// crash, and the results stay bounded.

#include "workload/common/mountinfo.hpp"

#include <gtest/gtest.h>

#include <string>

#include "workload/common/proc_cgroups.hpp"
#include "workload/common/proc_status.hpp"

namespace numalab::workload {
namespace {

// /proc/self/mountinfo of the agent in a guest while cpuset-rebind's v1 pass runs, cut down.
constexpr const char* k_mountinfo =
    "1 1 0:2 / / rw - rootfs rootfs rw,size=498288k,nr_inodes=124572\n"
    "22 1 0:20 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
    "23 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw\n"
    "27 23 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw\n"
    "30 26 0:28 / /run/numalab-cpuset-v1 rw,relatime - cgroup cpuset rw,cpuset\n"
    "31 1 0:29 / /mnt/with\\040space rw,relatime - nfs4 10.0.2.2:/export rw,vers=4.2\n";

TEST(MountinfoTest, ParsesMountPointsTypesAndSources) {
  auto mounts = parse_mountinfo(k_mountinfo);
  ASSERT_EQ(mounts.size(), 6u);
  EXPECT_EQ(mounts[0].path, "/");
  EXPECT_EQ(mounts[3], (MountEntry{"/sys/fs/cgroup", "cgroup2", "cgroup2", "rw"}))
      << "an optional field (shared:4) before the separator";
  EXPECT_EQ(mounts[4], (MountEntry{"/run/numalab-cpuset-v1", "cgroup", "cpuset", "rw,cpuset"}));
  EXPECT_EQ(mounts[5].path, "/mnt/with space");
  EXPECT_EQ(mounts[5].source, "10.0.2.2:/export");
}

TEST(MountinfoTest, SkipsMalformedLinesAndStaysBounded) {
  auto mounts = parse_mountinfo("garbage\n1 2 3\n22 1 0:20 / /proc rw - proc\n\n" + std::string(k_mountinfo));
  EXPECT_EQ(mounts.size(), 7u) << "a line without a source still names its type";
  EXPECT_TRUE(parse_mountinfo("22 1 0:20 / /proc rw no separator here\n").empty());
  std::string many;
  for (int i = 0; i < 600; ++i) many += "22 1 0:20 / /m" + std::to_string(i) + " rw - tmpfs tmpfs rw\n";
  EXPECT_EQ(parse_mountinfo(many).size(), k_max_mounts);
  EXPECT_EQ(unescape_octal("a\\040b\\134c\\09"), "a b\\c\\09");
}

TEST(ProcStatusFieldTest, ReadsOneKeyWithoutItsBlanks) {
  const std::string status =
      "Name:\tnumalab-agent\nVmLck:\t       0 kB\nCpus_allowed:\tf\nCpus_allowed_list:\t0-3\n"
      "Mems_allowed_list:\t0-1\n";
  EXPECT_EQ(status_field(status, "Cpus_allowed_list"), "0-3");
  EXPECT_EQ(status_field(status, "Cpus_allowed"), "f") << "a key that prefixes another is its own";
  EXPECT_EQ(status_field(status, "VmLck"), "0 kB");
  EXPECT_EQ(status_field(status, "Mems_allowed"), std::nullopt);
  EXPECT_EQ(status_field(std::string(k_max_proc_status_bytes + 1, 'x'), "Name"), std::nullopt);
}

TEST(ProcCgroupTest, FindsTheUnifiedHierarchysPath) {
  EXPECT_EQ(unified_cgroup_path("0::/\n"), "/");
  EXPECT_EQ(unified_cgroup_path("3:cpuset:/numalab-rebind-a\n0::/numalab-rebind-a\n"), "/numalab-rebind-a");
  EXPECT_EQ(unified_cgroup_path("3:cpuset:/\n"), std::nullopt);
}

}  // namespace
}  // namespace numalab::workload
