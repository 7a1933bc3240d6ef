#pragma once
// How long a run took to fail: from its machine's QEMU start to the verdict, read from the agent
// timeline (MACHINE/agent.jsonl: the "verdict ..." note of a hang or crash, else the end of the
// first workload that did not pass), the earliest over the machines; the run's duration when the
// timeline says nothing.

#include <filesystem>
#include <optional>

#include "result/run_result.hpp"

namespace numalab::bundle {

// Seconds from the machine's start to its failure; nullopt when the timeline has no failure.
std::optional<double> failure_time_in_timeline(const std::filesystem::path& agent_jsonl);

// For a run that did not pass; nullopt for a pass.
std::optional<double> time_to_failure(const result::RunResult& run);

}  // namespace numalab::bundle
