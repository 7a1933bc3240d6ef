#pragma once
// cpuset-churn's parameters.

#include "workload/common/param_spec.hpp"

namespace numalab::workload {

const WorkloadSpec& cpuset_churn_spec();

}  // namespace numalab::workload
