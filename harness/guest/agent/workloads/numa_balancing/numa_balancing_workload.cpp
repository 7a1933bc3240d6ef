// numa01, numa01-thread-alloc, numa02, numa02-smt: NUMA balancing, after Andrea Arcangeli's
// autonumabench (2012), which the competing balancing series of that year (AutoNUMA, sched/numa,
// balancenuma) were measured with:
//   numa01               two processes; all threads of a process write its one buffer
//   numa01-thread-alloc  two processes; each thread writes its own slice of its process's buffer
//   numa02               one process, one thread per CPU, each writing a private slice
//   numa02-smt           numa02 with one thread per two CPUs
// Parameters: variant (hard-bind | inverse-bind; absent: the kernel's NUMA balancing decides),
// memory (all processes together; default half the free memory, at most 256 MiB, and when nothing
// is bound at most 3/4 of the first-touch node's free memory), threads (in all; default one per
// CPU, numa02-smt one per two), duration (of writing; default 20 s).

#include <sys/sysinfo.h>

#include <algorithm>

#include "common/proc_file.hpp"
#include "workload/common/params.hpp"
#include "workload/common/sysfs_topology.hpp"
#include "workload/numa_balancing/numa_balancing_spec.hpp"
#include "workloads/numa_balancing/numa_balancing_run.hpp"

namespace numalab::guest {

namespace {

constexpr std::uint64_t k_default_memory_cap = 256ULL << 20;

enum class Kind { numa01, numa01_thread_alloc, numa02, numa02_smt };

std::size_t cpu_count(const model::Topology& t) {
  std::size_t n = 0;
  for (const auto& node : t.nodes) n += node.cpus.size();
  return std::max<std::size_t>(n, 1);
}

// "Node 0 MemFree:  123456 kB" in root/sys/devices/system/node/nodeN/meminfo, in bytes.
std::optional<std::uint64_t> node_free_bytes(const std::filesystem::path& root, int node) {
  auto kb = read_meminfo_kb(root / "sys/devices/system/node" / ("node" + std::to_string(node)) / "meminfo",
                            "MemFree");
  if (!kb) return std::nullopt;
  return *kb * 1024;
}

std::uint64_t default_memory(const WorkloadContext& ctx, workload::BindVariant variant,
                             const model::Topology& t) {
  struct sysinfo si {};
  std::uint64_t free_bytes = ::sysinfo(&si) == 0 ? static_cast<std::uint64_t>(si.freeram) * si.mem_unit : 0;
  std::uint64_t bytes = std::min(free_bytes / 2, k_default_memory_cap);
  if (variant == workload::BindVariant::none) {
    auto first = std::find_if(t.nodes.begin(), t.nodes.end(),
                              [](const auto& n) { return n.memory_kb > 0 && !n.cpus.empty(); });
    if (first != t.nodes.end())
      if (auto node_free = node_free_bytes(ctx.root, first->id)) bytes = std::min(bytes, *node_free / 4 * 3);
  }
  return std::max<std::uint64_t>(bytes, 8ULL << 20);
}

workload::WorkloadShape shape_of(Kind kind, std::size_t threads) {
  workload::WorkloadShape s;
  bool two_processes = kind == Kind::numa01 || kind == Kind::numa01_thread_alloc;
  s.processes = two_processes ? 2 : 1;
  s.threads_per_process = two_processes ? std::max<std::size_t>(1, threads / 2) : threads;
  s.shared_buffer = kind == Kind::numa01;
  s.bind_per_thread = !two_processes;
  return s;
}

std::expected<NumaBalancingConfig, std::string> configure(const WorkloadContext& ctx, Kind kind,
                                                          std::string name, const nlohmann::json& params) {
  NumaBalancingConfig c;
  c.workload = std::move(name);
  c.topology = ctx.plan.expected;
  if (c.topology.nodes.empty()) {
    auto seen = workload::read_sysfs_topology(ctx.root);
    if (!seen)
      return std::unexpected("the plan declares no topology and the guest's cannot be read: " + seen.error());
    c.topology = std::move(*seen);
  }
  const auto& spec = workload::numa_balancing_params();
  auto variant = workload::string_param(params, spec, "variant");
  if (!variant) return std::unexpected(variant.error());
  if (*variant) {
    auto v = workload::bind_variant_from(**variant);
    if (!v) return std::unexpected("params.variant must be \"hard-bind\" or \"inverse-bind\"");
    c.variant = *v;
  }
  auto threads = workload::integer_param(params, spec, "threads");
  if (!threads) return std::unexpected(threads.error());
  std::size_t cpus = cpu_count(c.topology);
  std::size_t default_threads = kind == Kind::numa02_smt ? std::max<std::size_t>(1, cpus / 2) : cpus;
  c.shape = shape_of(kind, *threads ? static_cast<std::size_t>(**threads) : default_threads);
  auto memory = workload::size_param(params, spec, "memory");
  if (!memory) return std::unexpected(memory.error());
  c.memory_bytes = *memory ? **memory : default_memory(ctx, c.variant, c.topology);
  if (c.memory_bytes == 0) return std::unexpected("no free memory for the workload");
  auto duration = workload::duration_param(params, spec, "duration");
  if (!duration) return std::unexpected(duration.error());
  c.duration = duration->value();
  return c;
}

WorkloadOutcome run(WorkloadContext& ctx, Kind kind, std::string name, const nlohmann::json& params) {
  auto config = configure(ctx, kind, std::move(name), params);
  if (!config) return {"error", config.error(), {}};
  return run_numa_balancing(ctx, *config);
}

}  // namespace

WorkloadOutcome run_numa01(WorkloadContext& ctx, const nlohmann::json& params) {
  return run(ctx, Kind::numa01, "numa01", params);
}

WorkloadOutcome run_numa01_thread_alloc(WorkloadContext& ctx, const nlohmann::json& params) {
  return run(ctx, Kind::numa01_thread_alloc, "numa01-thread-alloc", params);
}

WorkloadOutcome run_numa02(WorkloadContext& ctx, const nlohmann::json& params) {
  return run(ctx, Kind::numa02, "numa02", params);
}

WorkloadOutcome run_numa02_smt(WorkloadContext& ctx, const nlohmann::json& params) {
  return run(ctx, Kind::numa02_smt, "numa02-smt", params);
}

}  // namespace numalab::guest
