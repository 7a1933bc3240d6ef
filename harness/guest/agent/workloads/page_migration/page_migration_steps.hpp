#pragma once
// The two halves of page-migration, each on a worker fresh from its first touch
// (page_migration_worker.hpp): one migrate_pages(2) call from one node set to another, checked page by
// page against the kernel's rule (workload/common/node_mapping.hpp); and one move_pages(2) call that sends
// every page to an explicit node, its per-page statuses checked.

#include <cstddef>
#include <expected>
#include <string>
#include <vector>

#include "workload/page_migration/page_migration_plan.hpp"

namespace numalab::guest {

struct WorkerShape {
  std::vector<workload::FirstTouchThread> threads;
  std::size_t slice_bytes = 0;
};

struct StepReport {
  std::size_t pages = 0;      // in the worker's buffer
  std::size_t moved = 0;      // buffer pages the call moved to another node
  std::size_t misplaced = 0;  // pages the first touch did not put on their thread's node
  std::size_t wrong = 0;      // pages not where they must be afterwards (or with a bad status)
  long not_moved = 0;         // the call's return value: pages it could not move
  double seconds = 0;         // in the call
  std::string failure;        // empty when the step passed; else what went wrong, page by page
};

// Pages per second of a report (0 when nothing moved).
double pages_per_second(const StepReport& r);

// An error: the step could not run (the worker could not start, a query failed).
std::expected<StepReport, std::string> run_migrate_pages_step(const workload::MigrationStep& step,
                                                              const WorkerShape& shape);
std::expected<StepReport, std::string> run_move_pages_step(const workload::NodeSet& memory_nodes,
                                                           const WorkerShape& shape);

}  // namespace numalab::guest
