#pragma once
// swap-nfs's parameters.

#include "workload/common/param_spec.hpp"

namespace numalab::workload {

const WorkloadSpec& swap_nfs_spec();

}  // namespace numalab::workload
