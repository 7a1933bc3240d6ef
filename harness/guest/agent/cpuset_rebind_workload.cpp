// cpuset-rebind: mempolicy rebinding when a cpuset's mems change.

#include "workload.hpp"

namespace numalab::guest {

WorkloadOutcome run_cpuset_rebind(WorkloadContext&, const nlohmann::json&) {
  return {"error", "not built yet", {}};
}

}  // namespace numalab::guest
