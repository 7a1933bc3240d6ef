#pragma once
// Running the plan's workloads: each is announced with start, measured with metrics and closed with
// end. A workload is a function from its parameters to an outcome; some never return (trigger).

#include <filesystem>
#include <string>
#include <vector>

#include "agent/protocol.hpp"
#include "link/agent_port.hpp"
#include "link/heartbeat.hpp"

namespace numalab::guest {

struct WorkloadContext {
  AgentPort& port;
  HeartbeatSender& heartbeat;
  const agent::Plan& plan;
  std::filesystem::path root;  // where sys/ and proc/ are: "/" in a guest
  bool allow_trigger = false;  // may trigger make the kernel misbehave (PID 1 or --allow-trigger)
  bool may_restore = false;    // may the clean-state contract undo what a workload left (PID 1)
};

struct WorkloadOutcome {
  std::string verdict = "pass";  // "pass", "fail" or "error"
  std::string detail;
  std::vector<agent::Metric> metrics;  // workload names are filled in by run_workload
};

// Sends start, runs the workload, sends its metrics and end. Around it, the clean-state contract
// (clean_state.hpp): what the workload left in the guest is put back, and the end says what. An unknown name
// ends with verdict "error" and detail "unknown workload"; an exception ends with "error" and its message.
void run_workload(const agent::WorkloadRequest& request, WorkloadContext& ctx);

// The workloads (one file each).
WorkloadOutcome run_topology_check(WorkloadContext& ctx, const nlohmann::json& params);
WorkloadOutcome run_trigger(WorkloadContext& ctx, const nlohmann::json& params);
WorkloadOutcome run_numa01(WorkloadContext& ctx, const nlohmann::json& params);
WorkloadOutcome run_numa01_thread_alloc(WorkloadContext& ctx, const nlohmann::json& params);
WorkloadOutcome run_numa02(WorkloadContext& ctx, const nlohmann::json& params);
WorkloadOutcome run_numa02_smt(WorkloadContext& ctx, const nlohmann::json& params);
WorkloadOutcome run_cpuset_rebind(WorkloadContext& ctx, const nlohmann::json& params);
WorkloadOutcome run_cpuset_churn(WorkloadContext& ctx, const nlohmann::json& params);
WorkloadOutcome run_page_migration(WorkloadContext& ctx, const nlohmann::json& params);
WorkloadOutcome run_nfs_server(WorkloadContext& ctx, const nlohmann::json& params);
WorkloadOutcome run_swap_nfs(WorkloadContext& ctx, const nlohmann::json& params);

}  // namespace numalab::guest
