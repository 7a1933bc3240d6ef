#include "workloads/numa_balancing/numa_balancing_run.hpp"

#include <algorithm>
#include <optional>

#include "common/child_reaping_pause.hpp"
#include "common/kernel_counters.hpp"
#include "workloads/numa_balancing/numa_balancing_buffer.hpp"
#include "workloads/numa_balancing/numa_balancing_locality_probe.hpp"
#include "workloads/numa_balancing/numa_balancing_metrics.hpp"
#include "workloads/numa_balancing/numa_balancing_worker_pool.hpp"

namespace numalab::guest {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration;

// Binding and first-touching the buffers: seconds under KVM, tens of seconds under TCG for big ones.
constexpr std::chrono::seconds k_setup_limit{180};
// From the stop byte to every worker reaped.
constexpr std::chrono::seconds k_stop_limit{30};
constexpr std::chrono::seconds k_sample_interval{1};
constexpr double k_locality_goal_pct = 90;

std::vector<int> all_cpus(const model::Topology& t) {
  std::vector<int> cpus;
  for (const auto& n : t.nodes) cpus.insert(cpus.end(), n.cpus.begin(), n.cpus.end());
  std::sort(cpus.begin(), cpus.end());
  return cpus;
}

std::vector<WorkerSpec> worker_specs(const NumaBalancingConfig& c,
                                     const workload::WorkloadPlacement& placement, const WorkerBuffer& buffer,
                                     const BufferLayout& layout) {
  std::vector<WorkerSpec> specs(c.shape.processes);
  for (auto& s : specs) {
    s.base = buffer.base();
    s.slice_bytes = layout.slice_bytes;
    s.slice_stride = layout.stride;
    s.slices = layout.slices;
    s.first_touch_cpus = placement.first_touch_cpus;
    s.all_cpus = all_cpus(c.topology);
    s.give_up_after = c.duration + k_setup_limit + std::chrono::minutes(5);
  }
  for (const auto& t : placement.threads) specs[t.process].threads.push_back(t);
  return specs;
}

// Samples locality once a second from the start of writing until the end, or until a worker breaks.
// A sample's at_s counts from began (the workload's start, as the protocol says); the time to the
// goal counts from the start of writing.
LocalityTrace sample_locality(WorkloadContext& ctx, const NumaBalancingConfig& c, NumaWorkerPool& pool,
                              Clock::time_point began, const std::vector<workload::AddressRange>& slices) {
  LocalityTrace trace;
  const auto memory_node_by_cpu = workload::memory_node_by_cpu(c.topology);
  const auto t0 = Clock::now();
  const auto end = t0 + c.duration;
  // The first sample as the writing starts: where the placement began.
  for (auto tick = t0;; tick += k_sample_interval) {
    auto at = std::min(tick, end);
    pool.pump_until(util::Deadline(at), [] { return false; });
    if (pool.broken()) break;
    auto count = probe_locality(ctx.root, pool.processes(), slices, memory_node_by_cpu);
    const auto now = Clock::now();
    const double since_writing_s = duration<double>(now - t0).count();
    if (!count) {
      trace.error = count.error();
    } else if (auto pct = count->percent()) {
      ctx.port.send(agent::Sample{c.workload, "locality_pct", duration<double>(now - began).count(), *pct});
      trace.final_pct = *pct;
      ++trace.samples;
      if (!trace.reached_goal_s && *pct >= k_locality_goal_pct) trace.reached_goal_s = since_writing_s;
    }
    if (at >= end) break;
  }
  trace.touched_s = duration<double>(Clock::now() - t0).count();
  return trace;
}

}  // namespace

WorkloadOutcome run_numa_balancing(WorkloadContext& ctx, const NumaBalancingConfig& c) {
  auto placement = workload::plan_placement(c.topology, c.variant, c.shape);
  if (!placement) return {"error", placement.error(), {}};
  const auto layout = buffer_layout(c.memory_bytes / c.shape.processes,
                                    c.shape.shared_buffer ? 1 : c.shape.threads_per_process);
  auto buffer = WorkerBuffer::map(layout);
  if (!buffer) return {"error", buffer.error(), {}};
  const auto slices = buffer->slice_ranges();

  RunCounters before{read_vmstat(ctx.root), read_kernel_thread_times(ctx.root)};
  ChildReapingPause pause;
  const auto began = Clock::now();
  auto pool = NumaWorkerPool::start(worker_specs(c, *placement, *buffer, layout));
  buffer->unmap();
  if (!pool) return {"error", pool.error(), {}};

  pool->pump_until(util::Deadline(began + k_setup_limit), [&] { return pool->all_touching(); });
  if (auto why = pool->broken_reason()) return {"error", *why, {}};
  if (!pool->all_touching())
    return {"error",
            "the workers did not finish binding and first-touching their memory within " +
                std::to_string(k_setup_limit.count()) + " s",
            {}};
  const double setup_s = duration<double>(Clock::now() - began).count();

  LocalityTrace trace = sample_locality(ctx, c, *pool, began, slices);
  auto broken = pool->broken_reason();
  pool->tell_stop();
  pool->pump_until(util::Deadline(Clock::now() + k_stop_limit), [&] { return pool->all_done_or_gone(); });
  pool->reap(util::Deadline(Clock::now() + std::chrono::seconds(5)));
  const double elapsed_s = duration<double>(Clock::now() - began).count();
  RunCounters after{read_vmstat(ctx.root), read_kernel_thread_times(ctx.root)};
  if (broken) return {"error", *broken, {}};
  if (auto why = pool->exit_problem()) return {"error", *why, {}};

  RunFigures figures{elapsed_s, setup_s, pool->user_s(), pool->system_s(), 0, layout, trace};
  for (const auto& p : pool->processes()) figures.bytes_written += p.bytes_written;
  return numa_balancing_outcome(ctx, c, figures, before, after);
}

}  // namespace numalab::guest
