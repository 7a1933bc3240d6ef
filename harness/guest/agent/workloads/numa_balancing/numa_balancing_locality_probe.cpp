#include "workloads/numa_balancing/numa_balancing_locality_probe.hpp"

#include "common/proc_file.hpp"
#include "workload/common/proc_stat.hpp"

namespace numalab::guest {

namespace {

constexpr std::size_t k_max_numa_maps_bytes = 4 * 1024 * 1024;

int thread_cpu(const std::filesystem::path& root, pid_t pid, pid_t tid) {
  if (tid <= 0) return -1;
  auto text = read_proc_file(root / "proc" / std::to_string(pid) / "task" / std::to_string(tid) / "stat",
                             workload::k_max_proc_stat_bytes);
  if (!text) return -1;
  auto stat = workload::parse_proc_stat(*text);
  return stat ? stat->processor : -1;
}

}  // namespace

std::expected<workload::LocalityCount, std::string> probe_locality(
    const std::filesystem::path& root, const std::vector<WorkerProcess>& processes,
    const std::vector<workload::AddressRange>& slices, const std::vector<int>& memory_node_by_cpu) {
  workload::LocalityCount total;
  for (const auto& p : processes) {
    auto text =
        read_proc_file(root / "proc" / std::to_string(p.process.pid()) / "numa_maps", k_max_numa_maps_bytes);
    if (!text) return std::unexpected(text.error());
    auto maps = workload::parse_numa_maps(*text);
    std::vector<workload::ThreadCpu> threads;
    for (std::size_t i = 0; i < p.threads.size(); ++i)
      threads.push_back({p.threads[i].slice, thread_cpu(root, p.process.pid(), p.tids[i])});
    total += workload::process_locality(maps, slices, threads, memory_node_by_cpu);
  }
  return total;
}

}  // namespace numalab::guest
