#pragma once
// One run of a NUMA-balancing workload (numa01, numa01-thread-alloc, numa02, numa02-smt), whatever
// its shape: worker processes forked and placed, locality sampled once a second while they write,
// then the metrics (numa_balancing_workload.cpp lists them) and the verdict.

#include <chrono>
#include <cstdint>
#include <string>

#include "common/workload.hpp"
#include "model/topology.hpp"
#include "workload/numa_balancing/numa_placement.hpp"

namespace numalab::guest {

struct NumaBalancingConfig {
  std::string workload;  // the request's name, for the samples
  workload::BindVariant variant = workload::BindVariant::none;
  workload::WorkloadShape shape;
  std::uint64_t memory_bytes = 0;  // all processes together
  std::chrono::milliseconds duration{20'000};
  model::Topology topology;
};

WorkloadOutcome run_numa_balancing(WorkloadContext& ctx, const NumaBalancingConfig& config);

}  // namespace numalab::guest
