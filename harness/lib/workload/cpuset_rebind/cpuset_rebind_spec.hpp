#pragma once
// cpuset-rebind's parameters.

#include "workload/common/param_spec.hpp"

namespace numalab::workload {

const WorkloadSpec& cpuset_rebind_spec();

}  // namespace numalab::workload
