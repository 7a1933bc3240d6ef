// cpuset-rebind: the automatic NUMA mempolicy rebinding of 2005 ("cpusets: automatic numa
// mempolicy rebinding"), checked in a real kernel. Tasks with MPOL_BIND, MPOL_PREFERRED and
// MPOL_INTERLEAVE policies (no flag, MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES) live in a cpuset
// whose mems change and are then moved between cpusets; after every change each task's
// get_mempolicy and numa_maps policy must be what the kernel's remapping rules give, and its pages
// must sit on the nodes memory_migrate moves them to (the same cpuset-relative position). See
// cpuset_rebind_run.hpp for a pass and workload/cpuset_rebind/mempolicy_model.hpp for the rules (including
// where Linux 6.1 departs from its documentation: an MPOL_PREFERRED node is never remapped).
//
// Parameters: cgroup = "v1" | "v2" | "both" (default both: v1 first, then v2 once the v1 hierarchy
// has let the controller go); pages = pages per task (default 64).
//
// A guest with fewer than two memory nodes ends with verdict "error": nothing can be remapped, and
// a pass would let a lab that was meant to exercise rebinding claim it did.

#include "common/child_reaping_pause.hpp"
#include "common/metric.hpp"
#include "common/workload.hpp"
#include "workload/common/params.hpp"
#include "workload/common/sysfs_topology.hpp"
#include "workload/cpuset_rebind/cpuset_rebind_spec.hpp"
#include "workloads/cpuset_rebind/cpuset_rebind_run.hpp"

namespace numalab::guest {

namespace {

std::expected<std::vector<CgroupVersion>, std::string> versions_param(const nlohmann::json& params) {
  auto text = workload::string_param(params, workload::cpuset_rebind_spec().params, "cgroup");
  if (!text) return std::unexpected(text.error());
  const std::string v = text->value();
  if (v == "v1") return std::vector{CgroupVersion::v1};
  if (v == "v2") return std::vector{CgroupVersion::v2};
  if (v == "both") return std::vector{CgroupVersion::v1, CgroupVersion::v2};
  return std::unexpected("cgroup = \"" + v + "\": expected \"v1\", \"v2\" or \"both\"");
}

std::string summary(const RebindTally& t) {
  std::string out = t.failures.front();
  if (t.failed > 1)
    out +=
        " (and " + std::to_string(t.failed - 1) + " more failed checks of " + std::to_string(t.checks) + ")";
  return out;
}

}  // namespace

WorkloadOutcome run_cpuset_rebind(WorkloadContext& ctx, const nlohmann::json& params) {
  auto versions = versions_param(params);
  if (!versions) return {"error", versions.error(), {}};
  auto pages = workload::integer_param(params, workload::cpuset_rebind_spec().params, "pages");
  if (!pages) return {"error", pages.error(), {}};
  auto has_memory = workload::read_small_file(ctx.root / "sys/devices/system/node/has_memory");
  if (!has_memory) return {"error", "cannot read the memory nodes: " + has_memory.error(), {}};
  auto memory_nodes = workload::parse_node_list(*has_memory);
  if (!memory_nodes) return {"error", "has_memory: not a node list: " + *has_memory, {}};
  if (memory_nodes->count() < 2)
    return {"error",
            "cpuset-rebind needs at least two nodes with memory; this guest has " +
                std::to_string(memory_nodes->count()) +
                (memory_nodes->count() == 1 ? " (node " : " (nodes ") +
                workload::describe_nodes(*memory_nodes) + "): no cpuset change can remap a policy",
            {}};

  ctx.port.send(
      agent::Log{"cpuset-rebind: MPOL_PREFERRED is checked as Linux 6.1 behaves, not as "
                 "numa_memory_policy.rst says: its node "
                 "is never remapped; with a flag, get_mempolicy may report the cpuset's mems after a change "
                 "instead of the "
                 "nodes given (both are accepted)"});
  ChildReapingPause reaping_pause;  // the tasks are reaped by their owners, not by init's handler
  RebindTally tally;
  for (auto version : *versions) {
    auto pass = run_rebind_pass(ctx, version, *memory_nodes, static_cast<std::size_t>(pages->value()), tally);
    if (!pass)
      return {"error", std::string("cgroup ") + std::string(to_string(version)) + ": " + pass.error(), {}};
  }

  WorkloadOutcome outcome;
  if (!tally.failures.empty()) {
    outcome.verdict = "fail";
    outcome.detail = summary(tally);
  }
  using model::Better;
  outcome.metrics = {
      metric("checks", static_cast<double>(tally.checks), "", Better::none),
      metric("checks_failed", static_cast<double>(tally.failed), "", Better::lower),
      metric("pages_checked", static_cast<double>(tally.pages_checked), "pages", Better::none),
      metric("cpuset_changes", static_cast<double>(tally.cpuset_changes), "", Better::none),
      metric("migration_s", tally.migration_s, "s", Better::lower),
  };
  return outcome;
}

}  // namespace numalab::guest
