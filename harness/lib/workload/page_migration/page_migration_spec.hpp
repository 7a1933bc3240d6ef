#pragma once
// page-migration's parameters.

#include "workload/common/param_spec.hpp"

namespace numalab::workload {

const WorkloadSpec& page_migration_spec();

}  // namespace numalab::workload
