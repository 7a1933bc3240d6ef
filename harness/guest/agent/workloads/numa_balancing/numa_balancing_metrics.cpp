#include "workloads/numa_balancing/numa_balancing_metrics.hpp"

#include <array>
#include <cstdio>

#include "common/metric.hpp"

namespace numalab::guest {

namespace {

using agent::Metric;
using model::Better;

struct CounterSpec {
  const char* name;
  const char* unit;
  Better better;
};

// Units as the kernel counts in 6.1: pte updates and migrations in base pages (a THP counts 512),
// numa_huge_pte_updates in PMDs, hinting faults per fault, numa_hit..numa_other per allocation.
constexpr std::array<CounterSpec, 11> k_vmstat_counters = {{
    {"numa_pte_updates", "pages", Better::none},
    {"numa_huge_pte_updates", "events", Better::none},
    {"numa_hint_faults", "events", Better::none},
    {"numa_hint_faults_local", "events", Better::none},
    {"numa_pages_migrated", "pages", Better::none},
    {"pgmigrate_success", "pages", Better::none},
    {"pgmigrate_fail", "pages", Better::lower},
    {"numa_hit", "events", Better::none},
    {"numa_miss", "events", Better::none},
    {"numa_local", "events", Better::none},
    {"numa_other", "events", Better::none},
}};

constexpr double k_goal_pct = 90;
constexpr double k_inverse_ceiling_pct = 10;

std::string percent_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", v);
  return buf;
}

void add_vmstat(std::vector<Metric>& out, const RunCounters& before, const RunCounters& after) {
  for (const auto& c : k_vmstat_counters) {
    std::optional<std::uint64_t> d;
    if (before.vmstat && after.vmstat) d = workload::counter_delta(*before.vmstat, *after.vmstat, c.name);
    out.push_back(d ? metric(c.name, static_cast<double>(*d), c.unit, c.better)
                    : absent_metric(c.name, c.unit, c.better));
  }
}

void add_locality(std::vector<Metric>& out, const LocalityTrace& t) {
  out.push_back(t.final_pct ? metric("locality_pct", *t.final_pct, "%", Better::higher)
                            : absent_metric("locality_pct", "%", Better::higher));
  out.push_back(t.reached_goal_s ? metric("time_to_90pct_locality_s", *t.reached_goal_s, "s", Better::lower)
                                 : absent_metric("time_to_90pct_locality_s", "s", Better::lower));
  if (t.final_pct)
    out.push_back(metric("reached_90pct_locality", t.reached_goal_s ? 1 : 0, "", Better::higher));
}

// "" when the placement the variant asked for held.
std::string check_variant(const NumaBalancingConfig& c, const LocalityTrace& t) {
  if (c.variant == workload::BindVariant::none) return {};
  std::string variant(workload::to_string(c.variant));
  if (!t.final_pct) return variant + ": the locality could not be measured (" + t.error + ")";
  if (c.variant == workload::BindVariant::hard_bind && *t.final_pct < k_goal_pct)
    return "hard-bind: only " + percent_text(*t.final_pct) +
           " of the memory the threads write is on their own node (expected at least 90 %): the kernel did "
           "not keep "
           "MPOL_BIND memory on the bound node";
  if (c.variant == workload::BindVariant::inverse_bind && *t.final_pct > k_inverse_ceiling_pct)
    return "inverse-bind: " + percent_text(*t.final_pct) +
           " of the memory the threads write is on their own node (expected at most 10 %): the kernel did "
           "not keep "
           "MPOL_BIND memory on the bound (remote) node";
  return {};
}

}  // namespace

WorkloadOutcome numa_balancing_outcome(WorkloadContext& ctx, const NumaBalancingConfig& c,
                                       const RunFigures& f, const RunCounters& before,
                                       const RunCounters& after) {
  WorkloadOutcome o;
  auto& m = o.metrics;
  m.push_back(metric("elapsed_s", f.elapsed_s, "s", Better::lower));
  m.push_back(metric("setup_s", f.setup_s, "s", Better::lower));
  m.push_back(metric("user_s", f.user_s, "s", Better::lower));
  m.push_back(metric("system_s", f.system_s, "s", Better::lower));
  auto kthreads = kernel_thread_cpu_s(before.kthreads, after.kthreads);
  m.push_back(kthreads ? metric("kthreads_cpu_s", *kthreads, "s", Better::lower)
                       : absent_metric("kthreads_cpu_s", "s", Better::lower));
  double mib = static_cast<double>(f.bytes_written) / (1024.0 * 1024.0);
  m.push_back(metric("write_mib_per_s", f.trace.touched_s > 0 ? mib / f.trace.touched_s : 0, "MiB/s",
                     Better::higher));
  add_locality(m, f.trace);
  auto mode = read_numa_balancing_mode(ctx.root);
  m.push_back(mode ? metric("numa_balancing_enabled", *mode, "", Better::none)
                   : absent_metric("numa_balancing_enabled", "", Better::none));
  double used = static_cast<double>(c.shape.processes * f.layout.slices * f.layout.slice_bytes);
  m.push_back(metric("memory_mib", used / (1024.0 * 1024.0), "MiB", Better::none));
  m.push_back(metric("threads", static_cast<double>(c.shape.processes * c.shape.threads_per_process), "",
                     Better::none));
  add_vmstat(m, before, after);

  if (auto why = check_variant(c, f.trace); !why.empty()) {
    o.verdict = f.trace.final_pct ? "fail" : "error";
    o.detail = why;
  } else if (c.variant == workload::BindVariant::none && (!mode || *mode == 0)) {
    o.detail = mode ? "NUMA balancing is off (/proc/sys/kernel/numa_balancing is 0): nothing moved the memory"
                    : "the kernel has no NUMA balancing (/proc/sys/kernel/numa_balancing is missing)";
  } else if (!f.trace.final_pct) {
    o.detail = "the locality could not be measured: " + f.trace.error;
  }
  return o;
}

}  // namespace numalab::guest
