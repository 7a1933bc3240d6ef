#pragma once
// The random seeds a run used, so that a reproduction can use them again: workload parameters
// whose name has "seed" in it, and seeds the guest reported ("seed 1234" in an agent log line or a
// workload's detail).

#include <filesystem>
#include <nlohmann/json.hpp>

#include "lab/lab.hpp"
#include "result/run_result.hpp"

namespace numalab::bundle {

// An array of {"machine", "workload", "source", "seed"}; empty when the run had none.
nlohmann::json find_seeds(const lab::Lab& lab, const result::RunResult& run,
                          const std::filesystem::path& run_dir);

}  // namespace numalab::bundle
