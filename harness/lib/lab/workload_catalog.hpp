#pragma once
// The workloads a lab file may name, and the parameters each accepts: each workload's spec
// (lib/workload/NAME/NAME_spec.*, read by the guest agent too), composed here. The lab parser
// validates [[workload]] tables against it; the guest agent implements the same names.

#include <string_view>
#include <vector>

#include "workload/common/param_spec.hpp"

namespace numalab::lab {

using workload::ParamSpec;
using workload::ParamType;
using workload::WorkloadSpec;

const std::vector<WorkloadSpec>& workload_catalog();
const WorkloadSpec* find_workload(std::string_view name);

// The service a workload provides to other machines ("nfs" for nfs-server), or "" when none: the
// workload sends `ready` once it serves and keeps serving until the host sends `release`.
std::string_view provided_service(std::string_view workload);

// Whether the workload swaps to the machine its machine parameter names (swap-nfs to its server):
// the network between them carries the swap, and its NIC defaults to e1000e (lab.hpp, NicModel).
bool swaps_over_network(std::string_view workload);

}  // namespace numalab::lab
