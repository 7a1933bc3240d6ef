// numa01, numa01-thread-alloc, numa02, numa02-smt: NUMA balancing (autonumabench-style).

#include "workload.hpp"

namespace numalab::guest {

WorkloadOutcome run_numa01(WorkloadContext&, const nlohmann::json&) {
  return {"error", "not built yet", {}};
}

WorkloadOutcome run_numa01_thread_alloc(WorkloadContext&, const nlohmann::json&) {
  return {"error", "not built yet", {}};
}

WorkloadOutcome run_numa02(WorkloadContext&, const nlohmann::json&) {
  return {"error", "not built yet", {}};
}

WorkloadOutcome run_numa02_smt(WorkloadContext&, const nlohmann::json&) {
  return {"error", "not built yet", {}};
}

}  // namespace numalab::guest
