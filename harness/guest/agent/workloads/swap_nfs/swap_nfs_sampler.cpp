#include "workloads/swap_nfs/swap_nfs_sampler.hpp"

#include <array>

#include "common/proc_file.hpp"
#include "workload/common/netstat.hpp"
#include "workload/common/psi.hpp"
#include "workload/common/vmstat.hpp"

namespace numalab::guest {

namespace {

constexpr auto k_interval = std::chrono::seconds(1);

double mib_per_s(std::uint64_t pages, std::size_t page_size, double seconds) {
  return seconds > 0 ? static_cast<double>(pages) * static_cast<double>(page_size) / (1 << 20) / seconds : 0;
}

std::uint64_t grown(const std::optional<std::uint64_t>& before, const std::optional<std::uint64_t>& after) {
  return before && after && *after > *before ? *after - *before : 0;
}

}  // namespace

SwapNfsCounters read_swap_nfs_counters(const std::filesystem::path& root) {
  SwapNfsCounters c;
  if (auto text = read_proc_file(root / "proc/vmstat")) {
    auto v = workload::parse_vmstat(*text);
    c.pswpin = v.get("pswpin");
    c.pswpout = v.get("pswpout");
    c.oom_kill = v.get("oom_kill");
  }
  if (auto text = read_proc_file(root / "proc/net/netstat", 64 * 1024))
    c.pfmemalloc_drop = workload::parse_netstat(*text).get("TcpExt.PFMemallocDrop");
  if (auto text = read_proc_file(root / "proc/net/rpc/nfs", 64 * 1024))
    if (auto rpc = workload::parse_rpc_client_stats(*text)) c.rpc = *rpc;
  if (auto text = read_proc_file(root / "proc/pressure/memory", 4096))
    if (auto p = workload::parse_pressure(*text)) c.psi_some_avg10 = p->some.avg10;
  return c;
}

SwapNfsSampler::SwapNfsSampler(WorkloadContext& ctx, std::string workload, Clock::time_point began,
                               const std::atomic<std::uint64_t>& pages_done, std::size_t page_size)
    : ctx_(ctx),
      workload_(std::move(workload)),
      began_(began),
      pages_done_(pages_done),
      page_size_(page_size) {
  take_sample();
  thread_ = std::thread([this] { run(); });
}

void SwapNfsSampler::send(const char* name, double at_s, double value) {
  ctx_.port.send(agent::Sample{workload_, name, at_s, value});
}

void SwapNfsSampler::take_sample() {
  const auto now = Clock::now();
  const double at_s = std::chrono::duration<double>(now - began_).count();
  const SwapNfsCounters c = read_swap_nfs_counters(ctx_.root);
  const std::uint64_t done = pages_done_.load(std::memory_order_relaxed);
  const std::uint64_t rpc_calls = c.rpc ? c.rpc->calls : 0;
  send("progress.pages_done", at_s, static_cast<double>(done));
  if (c.pswpout) send("progress.pswpout", at_s, static_cast<double>(*c.pswpout));
  if (c.pswpin) send("progress.pswpin", at_s, static_cast<double>(*c.pswpin));
  if (c.rpc) send("progress.rpc_calls", at_s, static_cast<double>(rpc_calls));
  if (last_) {
    const double dt = std::chrono::duration<double>(now - last_at_).count();
    send("swap_out_mib_per_s", at_s, mib_per_s(grown(last_->pswpout, c.pswpout), page_size_, dt));
    send("swap_in_mib_per_s", at_s, mib_per_s(grown(last_->pswpin, c.pswpin), page_size_, dt));
  }
  if (c.psi_some_avg10) send("psi_memory_some_avg10", at_s, *c.psi_some_avg10);
  // Not progress: drops go on while a swap deadlock holds. The series shows them in a hung run.
  if (c.pfmemalloc_drop) send("tcp_pfmemalloc_drops", at_s, static_cast<double>(*c.pfmemalloc_drop));
  const std::array<std::uint64_t, 4> progress = {done, c.pswpout.value_or(0), c.pswpin.value_or(0),
                                                 rpc_calls};
  std::lock_guard lock(mutex_);
  gap_.observe(at_s, progress);
  last_ = c;
  last_at_ = now;
}

void SwapNfsSampler::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, k_interval, [this] { return stopping_; })) {
    lock.unlock();
    take_sample();
    lock.lock();
  }
}

void SwapNfsSampler::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

double SwapNfsSampler::finish() {
  stop();
  take_sample();
  std::lock_guard lock(mutex_);
  return gap_.max_gap_s();
}

}  // namespace numalab::guest
