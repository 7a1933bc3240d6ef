#pragma once
// The two page-migration system calls on another process, timed: move_pages(2) to ask where pages
// are (nodes = NULL) or to move them, and migrate_pages(2) to move all of a process's pages from one
// node set to another.

#include <sys/types.h>

#include <expected>
#include <string>
#include <vector>

#include "workload/common/node_mapping.hpp"

namespace numalab::guest {

// Each page's status: its node, or a negative errno (-ENOENT: not present, ...).
std::expected<std::vector<int>, std::string> query_page_nodes(pid_t pid, std::vector<void*>& pages);

struct MovePagesResult {
  long not_moved = 0;       // move_pages' return value: pages it could not move (0: all)
  std::vector<int> status;  // per page: its node or -errno; workload::k_status_not_written where
                            // the kernel stopped storing statuses
  double seconds = 0;       // in the system call
};

// move_pages(pid, pages, targets, MPOL_MF_MOVE). An error is the call's own failure (-1, errno).
std::expected<MovePagesResult, std::string> move_pages_to(pid_t pid, std::vector<void*>& pages,
                                                          const std::vector<int>& targets);

struct MigratePagesResult {
  long not_migrated = 0;  // migrate_pages' return value: pages it could not move
  double seconds = 0;
};

// migrate_pages(pid, maxnode, from, to). Node ids must be below 64. An error is the call's own
// failure (-1, errno).
std::expected<MigratePagesResult, std::string> migrate_pages_between(pid_t pid, const workload::NodeSet& from,
                                                                     const workload::NodeSet& to);

}  // namespace numalab::guest
