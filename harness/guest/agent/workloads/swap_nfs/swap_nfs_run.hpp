#pragma once
// The swap-nfs workload's measured part, once its swap file is active: the hog
// (swap_nfs_hog.hpp) writes and verifies every page for its passes, counting them in `pages_done`
// for the workload's sampler (swap_nfs_sampler.hpp); then the hog lets go of all but its kept
// pages, swapoff pulls those back from the server (timed), and the hog checks them once more. The
// hog ends before this returns, on every path. Nothing here bounds the wait: a guest that stops
// making progress is the host's to call a hang.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/workload.hpp"
#include "workload/swap_nfs/swap_nfs_hog_report.hpp"
#include "workloads/swap_nfs/swap_nfs_hog.hpp"
#include "workloads/swap_nfs/swap_nfs_sampler.hpp"
#include "workloads/swap_nfs/swap_nfs_swapfile.hpp"

namespace numalab::guest {

struct SwapNfsRunSpec {
  SwapHogSpec hog;
  std::size_t page_size = 4096;
  std::atomic<std::uint64_t>* pages_done = nullptr;  // the hog's pages written + verified
};

struct SwapNfsRunResult {
  workload::HogTally tally;
  std::uint64_t verified_in_passes = 0;  // pages the passes read back (the kept pages' check apart)
  bool passes_done = false;
  double passes_s = 0;  // from the hog's start to the end of its last pass
  SwapNfsCounters before, after_passes;
  std::optional<double> swapoff_s;
  std::uint64_t swapoff_kb = 0;  // the area's use when swapoff began
  std::string problem;           // why the run ended early: the hog died, swapoff failed
};

SwapNfsRunResult run_swap_nfs_hog(WorkloadContext& ctx, const SwapNfsRunSpec& spec, ActiveSwap& swap);

}  // namespace numalab::guest
