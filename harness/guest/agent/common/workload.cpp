#include "common/workload.hpp"

#include <array>
#include <chrono>
#include <exception>
#include <string_view>

#include "common/clean_state.hpp"
#include "common/memory_pressure_sampler.hpp"
#include "init/console.hpp"

namespace numalab::guest {

namespace {

struct WorkloadEntry {
  std::string_view name;
  WorkloadOutcome (*run)(WorkloadContext&, const nlohmann::json&);
};

constexpr std::array<WorkloadEntry, 11> k_workloads = {{
    {"topology-check", run_topology_check},
    {"trigger", run_trigger},
    {"numa01", run_numa01},
    {"numa01-thread-alloc", run_numa01_thread_alloc},
    {"numa02", run_numa02},
    {"numa02-smt", run_numa02_smt},
    {"cpuset-rebind", run_cpuset_rebind},
    {"cpuset-churn", run_cpuset_churn},
    {"page-migration", run_page_migration},
    {"nfs-server", run_nfs_server},
    {"swap-nfs", run_swap_nfs},
}};

WorkloadOutcome run_by_name(const agent::WorkloadRequest& request, WorkloadContext& ctx) {
  for (const auto& w : k_workloads) {
    if (w.name != request.name) continue;
    try {
      return w.run(ctx, request.params);
    } catch (const std::exception& e) {
      return {"error", std::string("the agent failed: ") + e.what(), {}};
    }
  }
  return {"error", "unknown workload", {}};
}

}  // namespace

void run_workload(const agent::WorkloadRequest& request, WorkloadContext& ctx) {
  CleanState clean(ctx.root, ctx.may_restore);  // the fingerprint before the workload
  ctx.port.send(agent::Log{request.name + " starts " + clean.unrestored_state()});
  say("workload " + request.name + ": start");
  ctx.port.send(agent::StepStart{request.name});
  auto began = std::chrono::steady_clock::now();
  MemoryPressureSampler pressure(ctx.root);  // PSI during every workload
  WorkloadOutcome outcome = run_by_name(request, ctx);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - began;
  for (auto& m : pressure.finish()) outcome.metrics.push_back(std::move(m));
  for (auto& m : outcome.metrics) {
    m.workload = request.name;
    ctx.port.send(m);
  }
  auto state = clean.restore();
  for (const auto& r : state.restored) say("workload " + request.name + ": restored " + r);
  for (const auto& l : state.left) say("workload " + request.name + ": left " + l);
  ctx.port.send(agent::StepEnd{request.name, outcome.verdict, outcome.detail, elapsed.count(),
                               std::move(state.restored), std::move(state.left)});
  say("workload " + request.name + ": " + outcome.verdict +
      (outcome.detail.empty() ? "" : " (" + outcome.detail.substr(0, 500) + ")"));
}

}  // namespace numalab::guest
