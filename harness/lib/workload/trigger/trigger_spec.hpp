#pragma once
// trigger's parameters; its actions are trigger_plan's table.

#include "workload/common/param_spec.hpp"

namespace numalab::workload {

const WorkloadSpec& trigger_spec();

}  // namespace numalab::workload
