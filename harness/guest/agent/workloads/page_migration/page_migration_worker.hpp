#pragma once
// The process page-migration moves: forked from the agent, its threads place one slice of its
// buffer each by first touch, as the programs of the 2005 manual-migration thread do. A thread on
// a node with CPUs runs on one of them (sched_setaffinity) and its writes allocate there; a slice
// of a CPU-less node is bound there with mbind(MPOL_BIND) first. Transparent huge pages are off
// for the buffer (MADV_NOHUGEPAGE), so every 4 KiB page is placed, moved and checked alone.
//
// The agent maps the buffer before forking and unmaps its own copy afterwards, so the worker's
// pages are its alone (mapcount 1) at addresses the agent knows. Once placed, the worker sleeps
// until the agent ends it; it only touches memory, makes system calls and writes its report pipe.
// The object owns the process (a ForkedChild): its destruction kills and reaps it, on every path.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <expected>
#include <string>
#include <vector>

#include "common/forked_child.hpp"
#include "workload/page_migration/page_migration_plan.hpp"

namespace numalab::guest {

class FirstTouchWorker {
 public:
  // Forks the worker and waits (at most `limit`) until every slice is placed. The caller holds a
  // ChildReapingPause, so that the agent's SIGCHLD handler leaves the worker to this object.
  static std::expected<FirstTouchWorker, std::string> start(
      const std::vector<workload::FirstTouchThread>& threads, std::size_t slice_bytes,
      std::chrono::milliseconds limit);

  FirstTouchWorker(FirstTouchWorker&& o) noexcept = default;
  FirstTouchWorker& operator=(FirstTouchWorker&&) = delete;
  FirstTouchWorker(const FirstTouchWorker&) = delete;

  pid_t pid() const { return process_.pid(); }
  // One address per page of the buffer, in order, for move_pages(2).
  std::vector<void*>& pages() { return pages_; }
  // The node each page was placed on purpose (its slice's node).
  const std::vector<int>& placed_nodes() const { return placed_nodes_; }

 private:
  FirstTouchWorker() = default;

  ForkedChild process_;  // killed and reaped on destruction
  std::vector<void*> pages_;
  std::vector<int> placed_nodes_;
};

}  // namespace numalab::guest
