#include "workloads/cpuset_churn/cpuset_churn_evidence.hpp"

#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "common/cpuset_fs.hpp"
#include "common/proc_file.hpp"
#include "init/console.hpp"
#include "workload/common/proc_stat.hpp"

namespace numalab::guest {

namespace {

constexpr std::size_t k_max_stack_bytes = 16 * 1024;
constexpr auto k_second_look = std::chrono::seconds(1);

// "/proc/PID" for a process, "/proc/AGENT/task/TID" for a thread of the agent (PID 1 in a guest).
std::filesystem::path task_dir(const std::filesystem::path& root, pid_t pid, bool thread_of_agent) {
  if (thread_of_agent) return root / "proc" / std::to_string(::getpid()) / "task" / std::to_string(pid);
  return root / "proc" / std::to_string(pid);
}

std::string stat_summary(const std::filesystem::path& dir) {
  auto text = read_proc_file(dir / "stat", workload::k_max_proc_stat_bytes);
  if (!text) return "stat unreadable (" + text.error() + ")";
  auto stat = workload::parse_proc_stat(*text);
  if (!stat) return "stat malformed (" + stat.error() + ")";
  const long hz = ::sysconf(_SC_CLK_TCK);
  return std::string("state ") + stat->state + " on CPU " + std::to_string(stat->processor) + ", user " +
         std::to_string(stat->utime * 1000 / static_cast<std::uint64_t>(hz > 0 ? hz : 100)) + " ms, system " +
         std::to_string(stat->stime * 1000 / static_cast<std::uint64_t>(hz > 0 ? hz : 100)) + " ms";
}

// To the kernel log only: on the console with a timestamp, in order with the kernel's own dumps,
// and once (say() would print every line a second time).
void note(const std::string& line) { tell_kernel_log(line); }

void describe(const std::string& who, const std::filesystem::path& dir, bool with_stack) {
  note("cpuset-churn: " + who + ": " + stat_summary(dir));
  if (!with_stack) return;
  auto wchan = read_proc_file(dir / "wchan", 256);
  if (wchan && !wchan->empty() && *wchan != "0") note("cpuset-churn: " + who + " waits in " + *wchan);
  auto stack = read_proc_file(dir / "stack", k_max_stack_bytes);
  if (!stack) return;  // a kernel without CONFIG_STACKTRACE
  std::size_t at = 0;
  while (at < stack->size()) {
    auto end = stack->find('\n', at);
    if (end == std::string::npos) end = stack->size();
    if (end > at) note("cpuset-churn: " + who + " stack " + stack->substr(at, end - at));
    at = end + 1;
  }
}

// The per-CPU time lines of /proc/stat as they are (user nice system idle iowait irq softirq ...,
// in clock ticks): two of them a second apart show where each CPU spent that second.
void describe_cpus(const std::filesystem::path& root, const std::string& when) {
  auto stat = read_proc_file(root / "proc/stat", 64 * 1024);
  if (!stat) return;
  std::size_t at = 0;
  while (at < stat->size() && stat->compare(at, 3, "cpu") == 0) {
    auto end = stat->find('\n', at);
    if (end == std::string::npos) end = stat->size();
    note("cpuset-churn: /proc/stat " + when + ": " + stat->substr(at, end - at));
    at = end + 1;
  }
}

}  // namespace

void dump_churn_stall_evidence(const std::filesystem::path& root, pid_t churn_tid, pid_t hog) {
  const std::string churn = "churn thread " + std::to_string(churn_tid);
  const std::string hog_name = "memory hog " + std::to_string(hog);
  if (churn_tid > 0) describe(churn, task_dir(root, churn_tid, true), true);
  if (hog > 0) describe(hog_name, task_dir(root, hog, false), true);
  describe_cpus(root, "now");
  std::this_thread::sleep_for(k_second_look);
  describe_cpus(root, "a second later");
  if (churn_tid > 0) describe(churn + " a second later", task_dir(root, churn_tid, true), false);
  if (hog > 0) describe(hog_name + " a second later", task_dir(root, hog, false), false);
  (void)write_kernel_file(root / "proc/sys/kernel/sysrq", "1");
  (void)write_kernel_file(root / "proc/sysrq-trigger", "l");  // every active CPU's backtrace
  (void)write_kernel_file(root / "proc/sysrq-trigger", "w");  // the blocked tasks
}

}  // namespace numalab::guest
