// page-migration: migrate_pages and move_pages.

#include "workload.hpp"

namespace numalab::guest {

WorkloadOutcome run_page_migration(WorkloadContext&, const nlohmann::json&) {
  return {"error", "not built yet", {}};
}

}  // namespace numalab::guest
