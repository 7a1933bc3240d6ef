#include "common/clean_state.hpp"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <thread>

#include "common/cpuset_fs.hpp"
#include "common/guest_state_capture.hpp"
#include "common/proc_file.hpp"
#include "workload/common/mempolicy_remap.hpp"
#include "workload/common/proc_status.hpp"
#include "workload/common/proc_text.hpp"

namespace numalab::guest {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto k_step_wait = std::chrono::seconds(2);  // a killed child to go, a cgroup to empty
constexpr auto k_retry_pause = std::chrono::milliseconds(10);
constexpr std::size_t k_mask_words = workload::k_max_node_ids / (CHAR_BIT * sizeof(unsigned long));
constexpr unsigned long k_maxnode = workload::k_max_node_ids + 1;

using Failure = std::optional<std::string>;

fs::path at(const fs::path& root, const std::string& guest_path) {
  return root / fs::path(guest_path).relative_path();
}

Failure errno_failure(int e) { return std::string(std::strerror(e)); }

// Killed, then gone: reaped here, or by init's SIGCHLD handler (ECHILD).
Failure kill_child(const workload::KillChild& s) {
  if (::kill(s.pid, SIGKILL) != 0) return errno == ESRCH ? Failure{} : errno_failure(errno);
  for (auto give_up = Clock::now() + k_step_wait; Clock::now() < give_up;) {
    pid_t r = ::waitpid(s.pid, nullptr, WNOHANG);
    if (r == s.pid || (r < 0 && errno == ECHILD)) return {};
    std::this_thread::sleep_for(k_retry_pause);
  }
  return "it was still there " + std::to_string(k_step_wait.count()) + " s after SIGKILL";
}

Failure remove_cgroup(const workload::RemoveCgroup& s, const fs::path& root) {
  const fs::path dir = at(root, s.path);
  if (!s.refuge.empty())
    if (auto procs = read_proc_file(dir / "cgroup.procs", 1 << 20)) {
      std::string_view rest = *procs;
      for (auto pid = workload::proc_text::next_word(rest); !pid.empty();
           pid = workload::proc_text::next_word(rest))
        (void)write_kernel_file(at(root, s.refuge) / "cgroup.procs", pid);  // ESRCH: it ended meanwhile
    }
  for (auto give_up = Clock::now() + k_step_wait;;) {
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return {};
    if (errno != EBUSY || Clock::now() >= give_up) return errno_failure(errno);
    std::this_thread::sleep_for(k_retry_pause);
  }
}

Failure set_affinity(const workload::SetAffinity& s) {
  auto cpus = workload::parse_node_list(s.cpus);  // the same list format
  if (!cpus) return "not a CPU list: " + s.cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : workload::node_ids(*cpus))
    if (c < CPU_SETSIZE) CPU_SET(c, &set);
  return ::sched_setaffinity(0, sizeof set, &set) == 0 ? Failure{} : errno_failure(errno);
}

Failure reset_mempolicy(const workload::SetMempolicy& s) {
  auto nodes = workload::parse_node_list(s.nodes);
  if (!nodes) return "not a node list: " + s.nodes;
  unsigned long mask[k_mask_words] = {};
  constexpr std::size_t bits = CHAR_BIT * sizeof(unsigned long);
  for (int n : workload::node_ids(*nodes)) mask[n / bits] |= 1UL << (n % bits);
  const bool none = nodes->none();
  // The system call itself, not libnuma's wrapper: the host's unit tests run this too.
  const long r = ::syscall(SYS_set_mempolicy, s.mode_word, none ? nullptr : mask, none ? 0 : k_maxnode);
  return r == 0 ? Failure{} : errno_failure(errno);
}

Failure take(const workload::RestoreStep& step, const fs::path& root) {
  struct Take {
    const fs::path& root;
    Failure operator()(const workload::KillChild& s) const { return kill_child(s); }
    Failure operator()(const workload::RemoveCgroup& s) const { return remove_cgroup(s, root); }
    Failure operator()(const workload::WriteFile& s) const {
      auto w = write_kernel_file(at(root, s.path), s.text);
      return w ? Failure{} : Failure{w.error()};
    }
    Failure operator()(const workload::Unmount& s) const {
      return ::umount2(at(root, s.path).c_str(), MNT_DETACH) == 0 ? Failure{} : errno_failure(errno);
    }
    Failure operator()(const workload::SetAffinity& s) const { return set_affinity(s); }
    Failure operator()(const workload::SetMempolicy& s) const { return reset_mempolicy(s); }
    Failure operator()(const workload::UnlockMemory&) const {
      return ::munlockall() == 0 ? Failure{} : errno_failure(errno);
    }
  };
  return std::visit(Take{root}, step);
}

}  // namespace

std::vector<std::string> take_restore_steps(const std::vector<workload::RestoreStep>& steps,
                                            const fs::path& root) {
  std::vector<std::string> failed;
  for (const auto& step : steps)
    if (auto why = take(step, root)) failed.push_back(workload::describe(step) + ": " + *why);
  return failed;
}

CleanState::CleanState(fs::path root, bool may_restore)
    : root_(std::move(root)), may_restore_(may_restore), before_(capture_guest_state(root_)) {}

std::string CleanState::unrestored_state() const {
  std::string text;
  if (auto uptime = read_proc_file(root_ / "proc/uptime", 128)) {
    std::string_view rest = *uptime;
    text = std::string(workload::proc_text::next_word(rest)) + " s after boot";
  }
  std::string nodes;
  auto has_memory = read_proc_file(root_ / "sys/devices/system/node/has_memory", 4096);
  auto memory_nodes = has_memory ? workload::parse_node_list(*has_memory) : std::nullopt;
  for (int n : memory_nodes ? workload::node_ids(*memory_nodes) : std::vector<int>{}) {
    const auto file = root_ / "sys/devices/system/node" / ("node" + std::to_string(n)) / "meminfo";
    if (auto kb = read_meminfo_kb(file, "MemFree"))
      nodes += (nodes.empty() ? "MemFree node " : ", node ") + std::to_string(n) + " " +
               std::to_string(*kb >> 10) + " MiB";
  }
  text += (text.empty() || nodes.empty() ? "" : "; ") + nodes;
  // The agent's own address space, which every child it forks for the workload inherits.
  auto status = read_proc_file(root_ / "proc/self/status", workload::k_max_proc_status_bytes);
  auto maps = read_proc_file(root_ / "proc/self/maps", 1 << 20);
  if (status && maps)
    text += "; the agent: " + std::to_string(std::count(maps->begin(), maps->end(), '\n')) +
            " mappings, VmSize " + workload::status_field(*status, "VmSize").value_or("?") + ", VmRSS " +
            workload::status_field(*status, "VmRSS").value_or("?");
  return text;
}

workload::CleanStateReport CleanState::restore() {
  const auto after = capture_guest_state(root_);
  const auto found = workload::state_changes(before_, after);
  if (found.empty()) return {};
  if (!may_restore_) return workload::clean_state_report(found, found, {"restore: the agent is not PID 1"});
  const auto failed = take_restore_steps(workload::restore_steps(before_, after), root_);
  const auto remaining = workload::state_changes(before_, capture_guest_state(root_));
  return workload::clean_state_report(found, remaining, failed);
}

}  // namespace numalab::guest
