// cpuset-churn: cpusets created, destroyed and changed under memory pressure.

#include "workload.hpp"

namespace numalab::guest {

WorkloadOutcome run_cpuset_churn(WorkloadContext&, const nlohmann::json&) {
  return {"error", "not built yet", {}};
}

}  // namespace numalab::guest
