#pragma once
// nfs-server's parameters.

#include "workload/common/param_spec.hpp"

namespace numalab::workload {

const WorkloadSpec& nfs_server_spec();

}  // namespace numalab::workload
