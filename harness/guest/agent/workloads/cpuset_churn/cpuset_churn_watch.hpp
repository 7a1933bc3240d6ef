#pragma once
// The watcher of the cpuset-churn workload, on the workload's thread while the churn thread runs
// (cpuset_churn_loop.hpp). Once a second it sends the iteration rate as a sample. It also watches
// for a stall (workload::churn_stall): when no iteration has ended for half the stall timeout, it
// leaves the evidence on the console (cpuset_churn_evidence.hpp; for the first three such pauses)
// and keeps waiting; if progress resumes, the run goes on and the host's transcript says how long
// the churn stood still; when none has ended for the whole stall timeout, the guest is stuck in the
// kernel: the evidence is taken again, the heartbeats stop and the host records a hang. Only the
// churn's progress counts: a churn thread stuck in a cpuset write while the hog still allocates is
// the 2005 deadlocks' picture, and a hog that stands still is reported (hog_max_gap_s), not judged.

#include <atomic>
#include <chrono>
#include <cstdint>

#include "common/workload.hpp"
#include "workloads/cpuset_churn/cpuset_churn_loop.hpp"

namespace numalab::guest {

// What the watcher saw besides the churn's own progress.
struct ChurnWatchStats {
  double hog_max_gap_s = 0;     // the longest time the hog's chunk counter stood still
  double watch_late_max_s = 0;  // the longest the watcher woke after its tick: the guest kept it waiting
  std::uint64_t suspected_stalls = 0;  // gaps of half the stall timeout or more, each with evidence
};

struct ChurnWatchSetup {
  std::chrono::steady_clock::time_point end;               // the churn is told to stop then
  std::chrono::milliseconds stall_timeout;                 // no iteration ended for this long: a hang
  const std::atomic<std::uint64_t>* hog_chunks = nullptr;  // may be null
};

// Returns when the churn thread has finished; never returns on a stall (see above).
ChurnWatchStats watch_churn(WorkloadContext& ctx, ChurnProgress& progress, const ChurnWatchSetup& setup);

}  // namespace numalab::guest
