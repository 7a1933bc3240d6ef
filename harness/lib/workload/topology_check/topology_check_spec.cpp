#include "workload/topology_check/topology_check_spec.hpp"

namespace numalab::workload {

const WorkloadSpec& topology_check_spec() {
  static const WorkloadSpec spec = {
      "topology-check",
      "verifies, inside the guest, that the guest sees exactly the declared NUMA topology",
      {}};
  return spec;
}

}  // namespace numalab::workload
