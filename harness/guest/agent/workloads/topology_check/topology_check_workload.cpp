// topology-check: does the guest see exactly the topology its lab file declares?

#include <chrono>

#include "agent/topology_check.hpp"
#include "common/metric.hpp"
#include "common/workload.hpp"
#include "workload/common/sysfs_topology.hpp"

namespace numalab::guest {

WorkloadOutcome run_topology_check(WorkloadContext& ctx, const nlohmann::json&) {
  auto began = std::chrono::steady_clock::now();
  if (ctx.plan.expected.nodes.empty()) return {"error", "the plan declares no topology to check against", {}};
  auto seen = workload::read_sysfs_topology(ctx.root);
  if (!seen) return {"error", "cannot read the topology: " + seen.error(), {}};
  auto differences = agent::diff_topology(ctx.plan.expected, *seen);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - began;

  WorkloadOutcome outcome;
  outcome.verdict = differences.empty() ? "pass" : "fail";
  outcome.detail = agent::describe_differences(differences);
  outcome.metrics = {
      metric("nodes_seen", static_cast<double>(seen->nodes.size()), "", model::Better::none),
      metric("check_elapsed_s", elapsed.count(), "s", model::Better::lower),
  };
  return outcome;
}

}  // namespace numalab::guest
