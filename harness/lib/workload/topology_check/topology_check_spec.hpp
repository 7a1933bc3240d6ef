#pragma once
// topology-check's spec: no parameters.

#include "workload/common/param_spec.hpp"

namespace numalab::workload {

const WorkloadSpec& topology_check_spec();

}  // namespace numalab::workload
