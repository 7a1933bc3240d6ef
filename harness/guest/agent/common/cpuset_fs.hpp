#pragma once
// The cpuset controller through its file system, v1 or v2, with system calls only (the guest has
// no shell): a cgroup v1 hierarchy mounted with -o cpuset, or the cgroup v2 hierarchy that the
// agent mounts at /sys/fs/cgroup with +cpuset in the root's cgroup.subtree_control. One controller
// can be bound to one hierarchy at a time, so a CpusetHierarchy takes the controller when opened
// and gives it back when destroyed (v1: unmounted; v2: -cpuset, if it enabled it), after moving
// the tasks of the cpusets it made back to the root and removing those cpusets.
//
// The two interfaces differ in their file names (cpuset.memory_migrate and notify_on_release exist
// in v1 only; v2 always migrates memory when mems change), in what a new cpuset needs before
// it takes tasks (v1: cpus and mems; v2: nothing, it inherits), and in what an empty cpuset means.

#include <sys/types.h>

#include <chrono>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "workload/common/mempolicy_remap.hpp"

namespace numalab::guest {

enum class CgroupVersion { v1, v2 };
std::string_view to_string(CgroupVersion version);

class CpusetHierarchy {
 public:
  // Takes the cpuset controller, waiting up to `wait` for another hierarchy to let it go.
  static std::expected<CpusetHierarchy, std::string> open(
      CgroupVersion version, const std::filesystem::path& root,
      std::chrono::milliseconds wait = std::chrono::seconds(10));
  ~CpusetHierarchy();
  CpusetHierarchy(CpusetHierarchy&& other) noexcept;
  CpusetHierarchy& operator=(CpusetHierarchy&&) = delete;
  CpusetHierarchy(const CpusetHierarchy&) = delete;
  CpusetHierarchy& operator=(const CpusetHierarchy&) = delete;

  CgroupVersion version() const { return version_; }

  // A cpuset under the root, named `name`, allowed `mems` and all CPUs; v1 cpusets get
  // memory_migrate on.
  std::expected<void, std::string> create(const std::string& name, const workload::NodeMask& mems);
  std::expected<void, std::string> set_mems(const std::string& name, const workload::NodeMask& mems);
  // A v1 flag file of the cpuset: "cpuset.memory_migrate", "notify_on_release".
  std::expected<void, std::string> set_flag(const std::string& name, std::string_view file, bool on);
  // Moves the process (all its threads) into the cpuset; "" is the root.
  std::expected<void, std::string> attach(const std::string& name, pid_t pid);
  // Moves the cpuset's tasks to the root, then removes it (retrying while the kernel says busy).
  std::expected<void, std::string> remove(const std::string& name);
  // The release agent of a v1 hierarchy (the program the kernel runs when a notify_on_release
  // cpuset empties); "" clears it.
  std::expected<void, std::string> set_release_agent(const std::string& program);

  std::filesystem::path path(const std::string& name) const { return name.empty() ? dir_ : dir_ / name; }

 private:
  CpusetHierarchy(CgroupVersion version, std::filesystem::path root, std::filesystem::path dir)
      : version_(version), root_(std::move(root)), dir_(std::move(dir)) {}
  std::expected<void, std::string> move_tasks_to_root(const std::string& name);

  CgroupVersion version_;
  std::filesystem::path root_;  // where proc/ is
  std::filesystem::path dir_;
  bool mounted_ = false;  // v1: dir_ is our mount
  bool enabled_ = false;  // v2: we wrote +cpuset
  std::vector<std::string> made_;
  bool moved_from_ = false;
};

// Writes text to a kernel file in one write(2): "write \"0-1\" to PATH: Invalid argument".
std::expected<void, std::string> write_kernel_file(const std::filesystem::path& path, std::string_view text);

}  // namespace numalab::guest
