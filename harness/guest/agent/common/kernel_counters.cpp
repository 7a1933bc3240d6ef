#include "common/kernel_counters.hpp"

#include <unistd.h>

#include "common/proc_file.hpp"
#include "workload/common/proc_stat.hpp"
#include "workload/common/proc_text.hpp"

namespace numalab::guest {

namespace {

constexpr int k_kthreadd_pid = 2;
constexpr std::size_t k_max_processes = 65536;

std::optional<int> pid_of(const std::filesystem::path& entry) {
  auto pid = workload::proc_text::to_unsigned<unsigned>(entry.filename().native());
  if (!pid || *pid == 0 || *pid > 1U << 22) return std::nullopt;  // PID_MAX_LIMIT
  return static_cast<int>(*pid);
}

}  // namespace

std::optional<workload::VmstatCounters> read_vmstat(const std::filesystem::path& root) {
  auto text = read_proc_file(root / "proc/vmstat");
  if (!text) return std::nullopt;
  return workload::parse_vmstat(*text);
}

KernelThreadTimes read_kernel_thread_times(const std::filesystem::path& root) {
  KernelThreadTimes out;
  std::error_code ec;
  std::filesystem::directory_iterator it(root / "proc", ec), end;
  std::size_t seen = 0;
  for (; !ec && it != end && seen < k_max_processes; it.increment(ec), ++seen) {
    auto pid = pid_of(it->path());
    if (!pid) continue;
    auto text = read_proc_file(it->path() / "stat", workload::k_max_proc_stat_bytes);
    if (!text) continue;  // it ended meanwhile
    auto stat = workload::parse_proc_stat(*text);
    if (!stat || (stat->pid != k_kthreadd_pid && stat->ppid != k_kthreadd_pid)) continue;
    out.ticks_by_pid[stat->pid] = stat->utime + stat->stime;
    if (stat->pid == k_kthreadd_pid) out.readable = true;
  }
  return out;
}

std::optional<double> kernel_thread_cpu_s(const KernelThreadTimes& before, const KernelThreadTimes& after) {
  if (!before.readable || !after.readable) return std::nullopt;
  std::uint64_t ticks = 0;
  for (const auto& [pid, t] : after.ticks_by_pid) {
    auto b = before.ticks_by_pid.find(pid);
    std::uint64_t was = b == before.ticks_by_pid.end() ? 0 : b->second;
    ticks += t >= was ? t - was : t;  // smaller: the PID was reused by a new thread
  }
  long hz = ::sysconf(_SC_CLK_TCK);
  return static_cast<double>(ticks) / static_cast<double>(hz > 0 ? hz : 100);
}

std::optional<int> read_numa_balancing_mode(const std::filesystem::path& root) {
  auto text = read_proc_file(root / "proc/sys/kernel/numa_balancing", 64);
  if (!text) return std::nullopt;
  std::string_view rest = *text;
  auto v = workload::proc_text::to_unsigned<unsigned>(workload::proc_text::next_word(rest));
  if (!v || *v > 255) return std::nullopt;
  return static_cast<int>(*v);
}

}  // namespace numalab::guest
