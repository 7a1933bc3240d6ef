#pragma once
// A run as text for the terminal: verdict, machines with the topology they saw, workloads.

#include <string>

#include "result/run_result.hpp"

namespace numalab::cli {

std::string format_run(const result::RunResult& run, bool color);

}  // namespace numalab::cli
