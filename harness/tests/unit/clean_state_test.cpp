// The guest agent's clean-state contract (guest/agent/common/clean_state.hpp) on the host, against a
// made-up root: a proc/ with the watched sysctls, a mountinfo naming a cgroup2 mount, that mount's
// directories, and a real child of this process linked in as proc/PID. A "workload" changes a
// sysctl, makes a cgroup, leaves the child running and claims a mount; the contract writes the
// sysctl back, removes the cgroup, kills and reaps the child, and reports the mount it could not
// detach.

#include "common/clean_state.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "util/temp_dir.hpp"

namespace numalab::guest {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

std::string read(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class CleanStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = util::ScopedTempDir::create("numalab-clean-state-");
    ASSERT_TRUE(dir) << dir.error().message;
    tmp_ = std::make_unique<util::ScopedTempDir>(std::move(*dir));
    write(root() / "proc/sys/kernel/numa_balancing", "1\n");
    write(root() / "proc/sys/vm/zone_reclaim_mode", "0\n");
    write(root() / "proc/self/mountinfo", k_mounts);
    write(root() / "proc/self/cgroup", "0::/\n");
    write(root() / "cg/cgroup.subtree_control", "\n");
  }
  void TearDown() override {
    if (child_ > 0) {
      ::kill(child_, SIGKILL);
      ::waitpid(child_, nullptr, 0);
    }
  }

  const fs::path& root() const { return tmp_->path(); }

  // A child of this process that sleeps until killed, as proc/PID of the made-up root.
  void leave_a_child() {
    child_ = ::fork();
    ASSERT_GE(child_, 0);
    if (child_ == 0) {
      ::prctl(PR_SET_NAME, "numalab-sleeper");
      for (;;) ::pause();
    }
    fs::create_directory_symlink("/proc/" + std::to_string(child_), root() / "proc" / std::to_string(child_));
    for (int i = 0; i < 200 && read("/proc/" + std::to_string(child_) + "/comm") != "numalab-sleeper\n"; ++i)
      ::usleep(5000);
  }

  // What a careless workload does.
  void workload() {
    write(root() / "proc/sys/kernel/numa_balancing", "0\n");
    fs::create_directory(root() / "cg/numalab-made");
    write(root() / "proc/self/mountinfo", std::string(k_mounts) + "40 1 0:50 / /mnt/x rw - tmpfs tmpfs rw\n");
    leave_a_child();
  }

  static constexpr const char* k_mounts =
      "22 1 0:20 / /proc rw - proc proc rw\n"
      "27 23 0:25 / /cg rw - cgroup2 cgroup2 rw\n";
  std::unique_ptr<util::ScopedTempDir> tmp_;
  pid_t child_ = -1;
};

TEST_F(CleanStateTest, NothingChangedNothingSaid) {
  CleanState clean(root(), true);
  EXPECT_EQ(clean.restore(), workload::CleanStateReport{});
}

TEST_F(CleanStateTest, PutsBackWhatItCanAndReportsTheRest) {
  CleanState clean(root(), true);
  workload();
  const auto report = clean.restore();
  const std::string child = "child " + std::to_string(child_) + " numalab-sleeper: left running";
  EXPECT_EQ(report.restored, (std::vector<std::string>{"sysctl kernel/numa_balancing: 1 -> 0",
                                                       "cgroup /cg/numalab-made: made", child}));
  ASSERT_EQ(report.left.size(), 2u);
  EXPECT_EQ(report.left[0], "mount /mnt/x (tmpfs): made");
  EXPECT_TRUE(report.left[1].starts_with("could not unmount /mnt/x: ")) << report.left[1];
  EXPECT_EQ(read(root() / "proc/sys/kernel/numa_balancing"), "1\n") << "\"1\" written over \"0\"";
  EXPECT_FALSE(fs::exists(root() / "cg/numalab-made"));
  EXPECT_TRUE(::waitpid(child_, nullptr, WNOHANG) < 0 && errno == ECHILD) << "killed and reaped";
  child_ = -1;
}

TEST_F(CleanStateTest, OnlyReportsWhenItMayNotRestore) {
  CleanState clean(root(), false);
  workload();
  const auto report = clean.restore();
  EXPECT_TRUE(report.restored.empty());
  EXPECT_EQ(report.left.size(), 5u);
  EXPECT_EQ(report.left.back(), "could not restore: the agent is not PID 1");
  EXPECT_EQ(read(root() / "proc/sys/kernel/numa_balancing"), "0\n") << "left alone";
  EXPECT_TRUE(fs::exists(root() / "cg/numalab-made"));
}

TEST_F(CleanStateTest, SaysWhenAWorkloadStartsWithWhatMemoryAndWhatTheAgentHolds) {
  write(root() / "proc/uptime", "4.21 8.10\n");
  write(root() / "sys/devices/system/node/has_memory", "0-1\n");
  write(root() / "sys/devices/system/node/node0/meminfo",
        "Node 0 MemTotal: 524288 kB\nNode 0 MemFree: 308224 kB\n");
  write(root() / "sys/devices/system/node/node1/meminfo",
        "Node 1 MemTotal: 524288 kB\nNode 1 MemFree: 491520 kB\n");
  EXPECT_EQ(CleanState(root(), true).unrestored_state(),
            "4.21 s after boot; MemFree node 0 301 MiB, node 1 480 MiB");
  write(root() / "proc/self/status", "Name:\tnumalab-agent\nVmSize:\t   86176 kB\nVmRSS:\t    3324 kB\n");
  write(root() / "proc/self/maps",
        "00400000-00401000 r--p 00000000 00:02 18 /init\n7ffd49085000-7ffd490a6000 rw-p\n");
  EXPECT_EQ(
      CleanState(root(), true).unrestored_state(),
      "4.21 s after boot; MemFree node 0 301 MiB, node 1 480 MiB; the agent: 2 mappings, VmSize 86176 kB, "
      "VmRSS 3324 kB");
}

}  // namespace
}  // namespace numalab::guest
