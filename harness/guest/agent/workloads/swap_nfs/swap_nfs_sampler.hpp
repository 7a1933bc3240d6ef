#pragma once
// The swap-nfs workload's time series, from a thread while its hog runs and while swapoff pulls the
// pages back: once a second it sends the progress counters the host judges a deadlock by
// ("progress.pages_done": the hog's pages written plus verified, "progress.pswpout",
// "progress.pswpin" from /proc/vmstat, "progress.rpc_calls": the NFS client's RPC calls) and, to
// plot, "swap_out_mib_per_s", "swap_in_mib_per_s" and "psi_memory_some_avg10". It also measures the
// longest time none of the four progress counters moved (workload/swap_nfs/progress_gap.hpp); it never
// judges: a frozen guest is the host's to call a hang.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/workload.hpp"
#include "workload/common/nfs_rpc_stats.hpp"
#include "workload/swap_nfs/progress_gap.hpp"

namespace numalab::guest {

// The kernel's counters the workload reports, read together.
struct SwapNfsCounters {
  std::optional<std::uint64_t> pswpin, pswpout, oom_kill;
  // TcpExt.PFMemallocDrop: packets received into the memory reserves and dropped because their
  // socket is not SOCK_MEMALLOC (for a swap socket, the reply a swap-out write waits for).
  std::optional<std::uint64_t> pfmemalloc_drop;
  std::optional<workload::RpcClientStats> rpc;  // nullopt without an NFS client
  std::optional<double> psi_some_avg10;         // nullopt without PSI
};
SwapNfsCounters read_swap_nfs_counters(const std::filesystem::path& root);

class SwapNfsSampler {
 public:
  using Clock = std::chrono::steady_clock;
  // began: the workload's start, the time base of the samples; pages_done: the hog's progress.
  SwapNfsSampler(WorkloadContext& ctx, std::string workload, Clock::time_point began,
                 const std::atomic<std::uint64_t>& pages_done, std::size_t page_size);
  ~SwapNfsSampler() { stop(); }
  SwapNfsSampler(const SwapNfsSampler&) = delete;
  SwapNfsSampler& operator=(const SwapNfsSampler&) = delete;

  // Stops the thread (one last sample first) and returns the longest progress gap, in seconds.
  double finish();

 private:
  void run();
  void stop();
  void take_sample();
  void send(const char* name, double at_s, double value);

  WorkloadContext& ctx_;
  std::string workload_;
  Clock::time_point began_;
  const std::atomic<std::uint64_t>& pages_done_;
  std::size_t page_size_;
  std::optional<SwapNfsCounters> last_;
  Clock::time_point last_at_;
  workload::ProgressGap gap_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace numalab::guest
