#include "workloads/swap_nfs/swap_nfs_run.hpp"

#include "common/proc_file.hpp"
#include "workload/common/proc_swaps.hpp"

namespace numalab::guest {

namespace {

using Clock = std::chrono::steady_clock;
using workload::HogPhase;
constexpr auto k_read_tick = std::chrono::milliseconds(500);

// The hog's records until it reaches `phase`; false when its pipe ended first.
bool follow_hog(SwapHog& hog, workload::HogTally& tally, std::atomic<std::uint64_t>& pages_done,
                HogPhase phase) {
  while (tally.phase != phase) {
    auto records = hog.read(k_read_tick);
    if (!records) return false;
    for (const auto& r : *records) tally.apply(r);
    pages_done.store(tally.written + tally.verified, std::memory_order_relaxed);
  }
  return true;
}

std::string hog_ended(SwapHog& hog, const workload::HogTally& t) {
  auto status = hog.wait();
  return "the hog " + (status ? describe_wait_status(*status) : std::string("ended")) + " after " +
         std::to_string(t.written) + " pages written and " + std::to_string(t.verified) + " verified";
}

std::uint64_t swap_used_kb(const std::filesystem::path& root, const std::string& path) {
  auto text = read_proc_file(root / "proc/swaps");
  if (!text) return 0;
  auto area = workload::find_swap_area(*text, path);
  return area ? area->used_kb : 0;
}

}  // namespace

SwapNfsRunResult run_swap_nfs_hog(WorkloadContext& ctx, const SwapNfsRunSpec& spec, ActiveSwap& swap) {
  SwapNfsRunResult out;
  out.before = read_swap_nfs_counters(ctx.root);
  std::atomic<std::uint64_t> unused{0};
  std::atomic<std::uint64_t>& pages_done = spec.pages_done ? *spec.pages_done : unused;
  const auto started = Clock::now();
  auto hog = SwapHog::start(spec.hog);
  if (!hog) {
    out.problem = "cannot start the hog: " + hog.error();
    return out;
  }
  out.passes_done = follow_hog(*hog, out.tally, pages_done, HogPhase::passes_done);
  out.passes_s = std::chrono::duration<double>(Clock::now() - started).count();
  out.after_passes = read_swap_nfs_counters(ctx.root);
  out.verified_in_passes = out.tally.verified;
  if (!out.passes_done) {
    out.problem = hog_ended(*hog, out.tally);
  } else if (!hog->tell('r') || !follow_hog(*hog, out.tally, pages_done, HogPhase::released)) {
    out.problem = hog_ended(*hog, out.tally) + ", told to let go of its pages past the kept ones";
  } else {
    out.swapoff_kb = swap_used_kb(ctx.root, swap.path().string());
    const auto swapoff_began = Clock::now();
    if (auto off = swap.swapoff(); !off) {
      out.problem = off.error();
    } else {
      out.swapoff_s = std::chrono::duration<double>(Clock::now() - swapoff_began).count();
      if (!hog->tell('v') || !follow_hog(*hog, out.tally, pages_done, HogPhase::kept_verified))
        out.problem = hog_ended(*hog, out.tally) + ", checking its kept pages after swapoff";
    }
  }
  hog->stop();
  return out;
}

}  // namespace numalab::guest
