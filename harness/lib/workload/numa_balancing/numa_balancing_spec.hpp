#pragma once
// The NUMA-balancing workloads (autonumabench's numa01, numa01-thread-alloc, numa02, numa02-smt):
// four workloads, one set of parameters.

#include <vector>

#include "workload/common/param_spec.hpp"

namespace numalab::workload {

const std::vector<ParamSpec>& numa_balancing_params();
const std::vector<WorkloadSpec>& numa_balancing_specs();

}  // namespace numalab::workload
