#include "workload/page_migration/page_migration_spec.hpp"

namespace numalab::workload {

const WorkloadSpec& page_migration_spec() {
  static const WorkloadSpec spec = {
      "page-migration",
      "manual page migration: first-touch placement, migrate_pages between disjoint and overlapping node "
      "sets, move_pages in bulk; every page keeps its relative node",
      {{"memory",
        ParamType::size,
        {},
        "memory each worker first-touches and has migrated (default 32M; at most half the smallest memory "
        "node)",
        false,
        std::nullopt,
        std::nullopt,
        "32M"},
       {"threads",
        ParamType::integer,
        {},
        "threads placing memory by first touch, 1 to 256 (default: one per node with memory)",
        false,
        1,
        256}}};
  return spec;
}

}  // namespace numalab::workload
