// cpuset-churn: cpusets created, destroyed and changed in a loop while memory is nearly exhausted,
// the class of the 2005 cpuset_sem double trip and notify_on_release ABBA deadlocks. A memory hog
// keeps `pressure` (default 0.9) of the available memory allocated and churning; a churn thread
// (cpuset_churn_loop.hpp) runs iterations for `duration` (default 20s), the first half on cgroup
// v1 (notify_on_release, a release agent), the second on cgroup v2; this thread watches it.
//
// Verdict "pass" when the churn kept making progress. When no iteration ends for `stall_timeout`
// (default 60s, workload/cpuset_churn/cpuset_churn_plan.hpp), the guest is stuck in the kernel: the workload
// says where (the churn step), leaves the evidence on the console (cpuset_churn_evidence.hpp: the
// churn thread's and the hog's kernel stacks, sysrq-l, sysrq-w; taken first at half the timeout),
// and stops the heartbeats, so the host records a hang (cpuset_churn_watch.hpp). Metrics say how
// close a passing run came: max_iteration_gap_s, and hog_max_gap_s and watch_late_max_s for how
// slowly the guest itself ran. The agent's oom_score_adj is -1000 meanwhile (PID 1 killed is a
// kernel panic); the hog's is 1000, and it is restarted when the OOM killer takes it.

#include <charconv>
#include <cstdio>
#include <thread>

#include "common/child_reaping_pause.hpp"
#include "common/metric.hpp"
#include "common/proc_file.hpp"
#include "common/workload.hpp"
#include "workload/common/params.hpp"
#include "workload/common/sysfs_topology.hpp"
#include "workload/common/vmstat.hpp"
#include "workload/cpuset_churn/cpuset_churn_plan.hpp"
#include "workload/cpuset_churn/cpuset_churn_spec.hpp"
#include "workloads/cpuset_churn/cpuset_churn_loop.hpp"
#include "workloads/cpuset_churn/cpuset_churn_watch.hpp"

namespace numalab::guest {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto k_hog_ready = std::chrono::seconds(120);

// The agent's own OOM score, -1000 while the hog lives, restored afterwards.
class OomShield {
 public:
  OomShield() {
    auto old = read_proc_file("/proc/self/oom_score_adj", 64);
    if (old) std::from_chars(old->data(), old->data() + old->size(), saved_);
    ok_ = set_oom_score_adj(0, -1000).has_value();
  }
  ~OomShield() {
    if (ok_) (void)set_oom_score_adj(0, saved_);
  }
  OomShield(const OomShield&) = delete;
  OomShield& operator=(const OomShield&) = delete;
  bool ok() const { return ok_; }

 private:
  int saved_ = 0;
  bool ok_ = false;
};

workload::VmstatCounters vmstat(const std::filesystem::path& root) {
  auto text = read_proc_file(root / "proc/vmstat");
  return text ? workload::parse_vmstat(*text) : workload::VmstatCounters{};
}

}  // namespace

WorkloadOutcome run_cpuset_churn(WorkloadContext& ctx, const nlohmann::json& params) {
  const auto& spec = workload::cpuset_churn_spec().params;
  auto duration = workload::duration_param(params, spec, "duration");
  if (!duration) return {"error", duration.error(), {}};
  auto pressure = workload::number_param(params, spec, "pressure");
  if (!pressure) return {"error", pressure.error(), {}};
  auto stall = workload::stall_timeout_param(params);
  if (!stall) return {"error", stall.error(), {}};
  auto has_memory = workload::read_small_file(ctx.root / "sys/devices/system/node/has_memory");
  auto memory_nodes = has_memory ? workload::parse_node_list(*has_memory) : std::nullopt;
  if (!memory_nodes || memory_nodes->none())
    return {"error", "cannot read the memory nodes (has_memory)", {}};
  auto available = read_meminfo_kb(ctx.root / "proc/meminfo", "MemAvailable");
  if (!available) return {"error", "cannot read MemAvailable: " + available.error(), {}};

  ChildReapingPause reaping_pause;  // the children are reaped by their owners
  OomShield shield;
  if (!shield.ok())
    return {"error", "cannot set the agent's oom_score_adj to -1000; refusing to exhaust memory", {}};
  const std::uint64_t hog_bytes = workload::hog_bytes(*available, pressure->value());
  SharedCounter hog_chunks;
  ForkedChild hog;
  const auto fill_began = Clock::now();
  if (hog_bytes > 0) {
    auto started = start_memory_hog(hog_bytes, hog_chunks.get());
    if (!started) return {"error", "memory hog: " + started.error(), {}};
    hog = std::move(*started);
    if (!wait_byte(hog, k_hog_ready))
      return {"error",
              "the memory hog did not allocate " + std::to_string(hog_bytes >> 20) + " MiB in " +
                  std::to_string(k_hog_ready.count()) + " s",
              {}};
  }
  const double fill_s = std::chrono::duration<double>(Clock::now() - fill_began).count();
  ctx.port.send(agent::Log{"cpuset-churn: hog holds " + std::to_string(hog_bytes >> 20) + " MiB of " +
                           std::to_string(*available >> 10) + " MiB available"});

  const auto before = vmstat(ctx.root);
  ChurnSetup setup{ctx.root,
                   {CgroupVersion::v1, CgroupVersion::v2},
                   Clock::now() + duration->value(),
                   *memory_nodes,
                   hog_bytes,
                   &hog,
                   hog_chunks.get()};
  ChurnProgress progress;
  progress.hog_pid.store(hog.running() ? hog.pid() : 0);
  const auto began = Clock::now();
  std::thread churn([&] { run_churn(setup, progress); });
  const ChurnWatchStats watched = watch_churn(ctx, progress, {setup.end, *stall, hog_chunks.get()});
  churn.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - began).count();
  hog.kill_and_reap();
  const auto after = vmstat(ctx.root);
  for (const auto& note : progress.notes) ctx.port.send(agent::Log{"cpuset-churn: " + note});
  char slowest[200];
  std::snprintf(slowest, sizeof slowest, "cpuset-churn: the slowest step took %.1f s: %s",
                progress.slowest_step_s, progress.slowest_step);
  ctx.port.send(agent::Log{slowest});

  WorkloadOutcome outcome;
  const auto n = progress.iterations.load();
  if (!progress.error.empty())
    outcome = {"error", progress.error, {}};
  else if (n == 0)
    outcome = {"fail", "no churn iteration ended in " + std::to_string(elapsed) + " s", {}};
  using model::Better;
  outcome.metrics = {
      metric("iterations", static_cast<double>(n), "", Better::higher),
      metric("iterations_per_s", elapsed > 0 ? static_cast<double>(n) / elapsed : 0, "1/s", Better::higher),
      metric("iteration_min_ms", progress.min_latency_s * 1000, "ms", Better::lower),
      metric("iteration_max_ms", progress.max_latency_s * 1000, "ms", Better::lower),
      metric("iteration_mean_ms", n ? progress.total_latency_s * 1000 / static_cast<double>(n) : 0, "ms",
             Better::lower),
      metric("max_iteration_gap_s", progress.max_gap_s, "s", Better::lower),
      metric("hog_max_gap_s", watched.hog_max_gap_s, "s", Better::lower),
      metric("watch_late_max_s", watched.watch_late_max_s, "s", Better::lower),
      metric("stalls_suspected", static_cast<double>(watched.suspected_stalls), "", Better::lower),
      metric("hog_mib", static_cast<double>(hog_bytes >> 20), "MiB", Better::none),
      metric("hog_fill_s", fill_s, "s", Better::lower),
      metric("hog_restarts", static_cast<double>(progress.hog_restarts), "", Better::lower),
      metric("task_restarts", static_cast<double>(progress.task_restarts), "", Better::lower),
  };
  auto oom = workload::counter_delta(before, after, "oom_kill");
  agent::Metric oom_kills = metric("oom_kills", oom ? static_cast<double>(*oom) : 0, "", Better::lower);
  oom_kills.absent = !oom;
  outcome.metrics.push_back(oom_kills);
  return outcome;
}

}  // namespace numalab::guest
