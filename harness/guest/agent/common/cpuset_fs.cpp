#include "common/cpuset_fs.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "workload/common/proc_cgroups.hpp"
#include "workload/common/sysfs_topology.hpp"

namespace numalab::guest {

namespace fs = std::filesystem;

namespace {

constexpr auto k_retry_pause = std::chrono::milliseconds(20);
constexpr auto k_busy_wait = std::chrono::seconds(5);
constexpr const char* k_v1_mount = "run/numalab-cpuset-v1";
constexpr const char* k_v2_mount = "sys/fs/cgroup";

std::string errno_text(int e) { return std::strerror(e); }

bool has_word(std::string_view text, std::string_view word) {
  std::size_t at = 0;
  while ((at = text.find(word, at)) != std::string_view::npos) {
    bool start = at == 0 || text[at - 1] == ' ' || text[at - 1] == '\n';
    std::size_t end = at + word.size();
    bool stop = end == text.size() || text[end] == ' ' || text[end] == '\n';
    if (start && stop) return true;
    at = end;
  }
  return false;
}

// Retries `attempt` (which returns an errno, 0 for success) while it says EBUSY, up to `wait`.
template <class F>
int retry_busy(F attempt, std::chrono::milliseconds wait) {
  auto give_up = std::chrono::steady_clock::now() + wait;
  for (;;) {
    int e = attempt();
    if (e != EBUSY || std::chrono::steady_clock::now() >= give_up) return e;
    std::this_thread::sleep_for(k_retry_pause);
  }
}

int write_errno(const fs::path& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  ssize_t n = ::write(fd, text.data(), text.size());
  int e = n < 0 ? errno : 0;
  ::close(fd);
  return e;
}

std::expected<void, std::string> take_v1(const fs::path& dir, std::chrono::milliseconds wait) {
  ::mkdir(dir.parent_path().c_str(), 0755);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    return std::unexpected("mkdir " + dir.string() + ": " + errno_text(errno));
  int e = retry_busy([&] { return ::mount("cpuset", dir.c_str(), "cgroup", 0, "cpuset") == 0 ? 0 : errno; },
                     wait);
  if (e == 0) return {};
  std::string why = "mount -t cgroup -o cpuset on " + dir.string() + ": " + errno_text(e);
  if (e == EBUSY) why += " (the cgroup v2 hierarchy still uses the cpuset controller)";
  if (e == ENODEV) why += " (the kernel has no cgroup v1 interface)";
  if (e == ENOENT || e == EINVAL) why += " (no cpuset controller: CONFIG_CPUSETS?)";
  ::rmdir(dir.c_str());
  return std::unexpected(why);
}

// v2: the root's cgroup.controllers lists cpuset once no v1 hierarchy holds it.
std::expected<bool, std::string> take_v2(const fs::path& dir, std::chrono::milliseconds wait) {
  auto give_up = std::chrono::steady_clock::now() + wait;
  for (;;) {
    auto controllers = workload::read_small_file(dir / "cgroup.controllers");
    if (!controllers)
      return std::unexpected("no cgroup v2 hierarchy at " + dir.string() + ": " + controllers.error());
    if (has_word(*controllers, "cpuset")) break;
    if (std::chrono::steady_clock::now() >= give_up)
      return std::unexpected(
          "the cgroup v2 hierarchy does not offer the cpuset controller (cgroup.controllers: \"" +
          std::string(controllers->substr(0, controllers->find('\n'))) +
          "\"): a cgroup v1 hierarchy holds it, or the kernel has no CONFIG_CPUSETS");
    std::this_thread::sleep_for(k_retry_pause);
  }
  auto subtree = workload::read_small_file(dir / "cgroup.subtree_control");
  if (subtree && has_word(*subtree, "cpuset")) return false;  // on already: not ours to turn off
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(give_up - std::chrono::steady_clock::now());
  int e = retry_busy([&] { return write_errno(dir / "cgroup.subtree_control", "+cpuset"); },
                     std::max(left, std::chrono::milliseconds(0)));
  if (e != 0)
    return std::unexpected("write \"+cpuset\" to " + (dir / "cgroup.subtree_control").string() + ": " +
                           errno_text(e));
  return true;
}

// A v1 hierarchy is destroyed when it is unmounted only if its root has no child cgroups left, and
// a removed cgroup stays a child until the kernel frees it, a little after rmdir returns. An
// unmount before that leaves the hierarchy alive, holding the controller, with no way back but to
// mount it again; so wait until /proc/cgroups counts the root alone.
void wait_for_freed_cpusets(const fs::path& root) {
  auto give_up = std::chrono::steady_clock::now() + k_busy_wait;
  while (std::chrono::steady_clock::now() < give_up) {
    auto text = workload::read_small_file(root / "proc/cgroups");
    auto line = text ? workload::proc_cgroups_line(*text, "cpuset") : std::nullopt;
    if (!line || line->num_cgroups <= 1) return;
    std::this_thread::sleep_for(k_retry_pause);
  }
}

}  // namespace

std::string_view to_string(CgroupVersion version) { return version == CgroupVersion::v1 ? "v1" : "v2"; }

std::expected<void, std::string> write_kernel_file(const fs::path& path, std::string_view text) {
  int e = write_errno(path, text);
  if (e == 0) return {};
  return std::unexpected("write \"" + std::string(text) + "\" to " + path.string() + ": " + errno_text(e));
}

std::expected<CpusetHierarchy, std::string> CpusetHierarchy::open(CgroupVersion version, const fs::path& root,
                                                                  std::chrono::milliseconds wait) {
  if (version == CgroupVersion::v1) {
    CpusetHierarchy h(version, root, root / k_v1_mount);
    auto took = take_v1(h.dir_, wait);
    if (!took) return std::unexpected(took.error());
    h.mounted_ = true;
    return h;
  }
  CpusetHierarchy h(version, root, root / k_v2_mount);
  auto took = take_v2(h.dir_, wait);
  if (!took) return std::unexpected(took.error());
  h.enabled_ = *took;
  return h;
}

CpusetHierarchy::CpusetHierarchy(CpusetHierarchy&& other) noexcept
    : version_(other.version_),
      root_(std::move(other.root_)),
      dir_(std::move(other.dir_)),
      mounted_(other.mounted_),
      enabled_(other.enabled_),
      made_(std::move(other.made_)) {
  other.moved_from_ = true;
}

CpusetHierarchy::~CpusetHierarchy() {
  if (moved_from_) return;
  while (!made_.empty()) (void)remove(made_.back());  // remove() forgets the name, whatever happens
  if (mounted_) {
    wait_for_freed_cpusets(root_);
    ::umount2(dir_.c_str(), 0);
    ::rmdir(dir_.c_str());
  }
  if (enabled_)
    retry_busy([&] { return write_errno(dir_ / "cgroup.subtree_control", "-cpuset"); }, k_busy_wait);
}

std::expected<void, std::string> CpusetHierarchy::create(const std::string& name,
                                                         const workload::NodeMask& mems) {
  fs::path dir = path(name);
  if (::mkdir(dir.c_str(), 0755) != 0)
    return std::unexpected("mkdir " + dir.string() + ": " + errno_text(errno));
  made_.push_back(name);
  if (version_ == CgroupVersion::v1) {
    auto cpus = workload::read_small_file(dir_ / "cpuset.cpus");
    if (!cpus) return std::unexpected(cpus.error());
    if (auto w = write_kernel_file(dir / "cpuset.cpus", *cpus); !w) return w;
  }
  if (auto w = set_mems(name, mems); !w) return w;
  if (version_ == CgroupVersion::v1) return set_flag(name, "cpuset.memory_migrate", true);
  return {};
}

std::expected<void, std::string> CpusetHierarchy::set_mems(const std::string& name,
                                                           const workload::NodeMask& mems) {
  return write_kernel_file(path(name) / "cpuset.mems", workload::format_node_list(mems));
}

std::expected<void, std::string> CpusetHierarchy::set_flag(const std::string& name, std::string_view file,
                                                           bool on) {
  return write_kernel_file(path(name) / std::string(file), on ? "1" : "0");
}

std::expected<void, std::string> CpusetHierarchy::attach(const std::string& name, pid_t pid) {
  return write_kernel_file(path(name) / "cgroup.procs", std::to_string(pid));
}

std::expected<void, std::string> CpusetHierarchy::set_release_agent(const std::string& program) {
  return write_kernel_file(dir_ / "release_agent", program.empty() ? "\n" : program);
}

std::expected<void, std::string> CpusetHierarchy::move_tasks_to_root(const std::string& name) {
  auto procs = workload::read_small_file(path(name) / "cgroup.procs");
  if (!procs) return std::unexpected(procs.error());
  std::string_view rest = *procs;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    if (line.empty()) continue;
    int e = write_errno(path("") / "cgroup.procs", line);
    if (e != 0 && e != ESRCH)
      return std::unexpected("moving task " + std::string(line) + " out of " + path(name).string() + ": " +
                             errno_text(e));
  }
  return {};
}

std::expected<void, std::string> CpusetHierarchy::remove(const std::string& name) {
  auto moved = move_tasks_to_root(name);
  fs::path dir = path(name);
  int e = retry_busy([&] { return ::rmdir(dir.c_str()) == 0 || errno == ENOENT ? 0 : errno; }, k_busy_wait);
  made_.erase(std::remove(made_.begin(), made_.end(), name), made_.end());
  if (e != 0) return std::unexpected("rmdir " + dir.string() + ": " + errno_text(e));
  if (!moved) return std::unexpected(moved.error());
  return {};
}

}  // namespace numalab::guest
