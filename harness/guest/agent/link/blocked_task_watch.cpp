#include "link/blocked_task_watch.hpp"

#include <string>
#include <vector>

#include "common/proc_file.hpp"
#include "workload/common/kernel_stack.hpp"
#include "workload/common/proc_stat.hpp"
#include "workload/common/proc_status.hpp"
#include "workload/common/proc_text.hpp"

namespace numalab::guest {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// A /proc entry's PID or TID; nullopt for the other entries.
std::optional<int> id_of(const fs::directory_entry& entry) {
  const std::string name = entry.path().filename().string();
  auto id = workload::proc_text::to_unsigned<int>(name);
  return id && *id > 0 ? id : std::nullopt;
}

fs::path thread_dir(const fs::path& root, int pid, int tid) {
  return root / "proc" / std::to_string(pid) / "task" / std::to_string(tid);
}

// The thread at dir if it is in D, with its switch count; nullopt if not, or if it ended.
std::optional<workload::TaskInD> task_in_d(const fs::path& dir, int pid, int tid) {
  auto text = read_proc_file(dir / "stat", workload::k_max_proc_stat_bytes);
  if (!text) return std::nullopt;
  auto stat = workload::parse_proc_stat(*text);
  if (!stat || stat->state != 'D') return std::nullopt;
  auto status = read_proc_file(dir / "status", workload::k_max_proc_status_bytes);
  if (!status) return std::nullopt;
  auto switches = workload::parse_context_switches(*status);
  if (!switches) return std::nullopt;
  return workload::TaskInD{pid, tid, stat->comm, switches->total(), {}};
}

agent::BlockedTask describe(const fs::path& root, const workload::TaskInD& task) {
  const fs::path dir = thread_dir(root, task.pid, task.tid);
  agent::BlockedTask out{
      task.pid,      task.tid, workload::printable_name(task.comm, agent::k_max_name_bytes),
      task.switches, {},       {}};
  if (auto wchan = read_proc_file(dir / "wchan", 4096))
    out.wchan = workload::parse_wchan(*wchan, agent::k_max_name_bytes);
  if (auto stack = read_proc_file(dir / "stack", workload::k_max_kernel_stack_bytes))
    out.stack = workload::parse_kernel_stack(*stack, agent::k_max_stack_frames, agent::k_max_name_bytes);
  return out;
}

}  // namespace

BlockedTaskWatch::BlockedTaskWatch(fs::path root) : root_(std::move(root)) {}

std::optional<agent::Blocked> BlockedTaskWatch::scan() {
  const auto began = Clock::now();
  std::vector<workload::TaskInD> in_d;
  std::size_t threads = 0;
  std::error_code ec;
  for (fs::directory_iterator process(root_ / "proc", ec), end; !ec && process != end;
       process.increment(ec)) {
    const auto pid = id_of(*process);
    if (!pid) continue;
    std::error_code task_ec;
    for (fs::directory_iterator thread(process->path() / "task", task_ec);
         !task_ec && thread != end && threads < k_max_scanned_threads; thread.increment(task_ec)) {
      const auto tid = id_of(*thread);
      if (!tid) continue;
      ++threads;
      if (auto task = task_in_d(thread->path(), *pid, *tid)) in_d.push_back(std::move(*task));
    }
    if (threads >= k_max_scanned_threads) break;
  }
  auto chosen = chooser_.choose(std::move(in_d), Clock::now());
  std::optional<agent::Blocked> out;
  if (!chosen.empty()) {
    out.emplace();
    for (const auto& task : chosen) out->tasks.push_back(describe(root_, task));
  }
  cost_ = {threads, std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - began)};
  return out;
}

void BlockedTaskWatch::scan_and_send(AgentPort& port) {
  // The heartbeat thread of PID 1: nothing may escape it (std::bad_alloc is all that could).
  try {
    auto blocked = scan();
    if (blocked) port.send(*blocked);
    // What the watch costs, in the transcript: its first pass, its first pass that read stacks,
    // and the first pass slower than k_slow_scan (it runs every heartbeat).
    const char* which = !said_first_                              ? "first scan"
                        : blocked && !said_first_in_d_            ? "first scan with tasks in D"
                        : cost_.took > k_slow_scan && !said_slow_ ? "slow scan"
                                                                  : nullptr;
    said_first_ = true;
    if (blocked) said_first_in_d_ = true;
    if (cost_.took > k_slow_scan) said_slow_ = true;
    if (which)
      port.send(agent::Log{"blocked-task watch: " + std::string(which) + " of " +
                           std::to_string(cost_.threads) + " threads took " +
                           std::to_string(cost_.took.count()) + " us"});
  } catch (...) {
  }
}

}  // namespace numalab::guest
