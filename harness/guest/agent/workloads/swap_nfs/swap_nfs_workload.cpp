// swap-nfs: swap over NFS under real memory pressure, the path of the 2007 "swap over networked
// storage" series (writing a page out to free memory needs memory to receive the server's reply).
// The workload mounts the `server` machine's export (NFSv3 or v4.2, hard, TCP), writes a swap file
// on it and swapon(2)s it (the kernel's swap-over-NFS path, SWP_FS_OPS; not a loop device), then a
// forked hog touches `ratio` x MemTotal with a verifiable pattern in every page, reads every page
// back (swap_nfs_run.hpp) and finally lets swapoff pull its kept pages back. Any page that comes
// back wrong is data loss: verdict "fail", never "pass". The agent's memory is locked meanwhile
// (swap_nfs_memlock.hpp) and its oom_score_adj is -1000 (the hog's is 1000).
//
// The workload never decides that the guest is stuck: it sends progress samples once a second and
// keeps waiting; the host calls a frozen guest a hang. Every path unmounts, swaps off, deletes the
// swap file and reaps the hog.

#include <charconv>
#include <random>

#include "common/child_reaping_pause.hpp"
#include "common/metric.hpp"
#include "common/net_load.hpp"
#include "common/proc_file.hpp"
#include "common/workload.hpp"
#include "workload/swap_nfs/swap_nfs_plan.hpp"
#include "workloads/cpuset_churn/cpuset_churn_processes.hpp"
#include "workloads/swap_nfs/swap_nfs_memlock.hpp"
#include "workloads/swap_nfs/swap_nfs_mount.hpp"
#include "workloads/swap_nfs/swap_nfs_run.hpp"

namespace numalab::guest {

namespace {

using model::Better;
using Clock = std::chrono::steady_clock;
constexpr const char* k_mount_point = "/mnt/numalab-swap-nfs";
constexpr const char* k_swap_file = "numalab-swapfile";
constexpr double k_mib = 1 << 20;

// The agent's own OOM score, -1000 while the hog lives (PID 1 killed is a kernel panic).
class AgentOomShield {
 public:
  AgentOomShield() {
    if (auto old = read_proc_file("/proc/self/oom_score_adj", 64))
      std::from_chars(old->data(), old->data() + old->size(), saved_);
    ok_ = set_oom_score_adj(0, -1000).has_value();
  }
  ~AgentOomShield() {
    if (ok_) (void)set_oom_score_adj(0, saved_);
  }
  AgentOomShield(const AgentOomShield&) = delete;
  AgentOomShield& operator=(const AgentOomShield&) = delete;
  bool ok() const { return ok_; }

 private:
  int saved_ = 0;
  bool ok_ = false;
};

// The server's address: plan.hosts; a plan without any network (a one-machine smoke test, the
// server workload on this machine) means this machine, 127.0.0.1.
std::expected<std::string, std::string> server_address(WorkloadContext& ctx, const std::string& server) {
  if (auto it = ctx.plan.hosts.find(server); it != ctx.plan.hosts.end()) return it->second;
  if (ctx.plan.interfaces.empty() && ctx.plan.hosts.empty()) {
    ctx.port.send(
        agent::Log{"swap-nfs: no network in the plan; server \"" + server + "\" is this machine, 127.0.0.1"});
    return std::string("127.0.0.1");
  }
  std::string known;
  for (const auto& [name, address] : ctx.plan.hosts)
    known += (known.empty() ? "" : ", ") + name + " " + address;
  return std::unexpected("no address for server \"" + server +
                         "\" (the plan's hosts: " + (known.empty() ? std::string("none") : known) + ")");
}

// "numalab-swapfile-10.77.1.2": the client's own address on the server's network, so that clients
// sharing one export have a file each; "numalab-swapfile" without a network.
std::string swap_file_name(const agent::Plan& plan, const std::string& server_address) {
  const auto prefix = server_address.substr(0, server_address.rfind('.') + 1);
  for (const auto& i : plan.interfaces)
    if (!prefix.empty() && i.address.starts_with(prefix) && i.address != server_address)
      return std::string(k_swap_file) + "-" + i.address;
  return k_swap_file;
}

std::uint64_t seed_now() {
  return static_cast<std::uint64_t>(Clock::now().time_since_epoch().count()) ^
         (static_cast<std::uint64_t>(::getpid()) << 32);
}

std::array<std::uint8_t, 16> uuid_from(std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::array<std::uint8_t, 16> u{};
  for (auto& b : u) b = static_cast<std::uint8_t>(g());
  return u;
}

std::optional<std::uint64_t> delta(const std::optional<std::uint64_t>& a,
                                   const std::optional<std::uint64_t>& b) {
  if (!a || !b) return std::nullopt;
  return *b >= *a ? *b - *a : 0;
}

void add_counter(std::vector<agent::Metric>& m, std::string name, std::optional<std::uint64_t> v,
                 Better better) {
  m.push_back(v ? metric(std::move(name), static_cast<double>(*v), "", better)
                : absent_metric(std::move(name), "", better));
}

std::vector<agent::Metric> run_metrics(const SwapNfsRunResult& r, std::uint64_t page_size, double max_gap_s) {
  std::vector<agent::Metric> m;
  const auto out = delta(r.before.pswpout, r.after_passes.pswpout);
  const auto in = delta(r.before.pswpin, r.after_passes.pswpin);
  auto rate = [&](std::string name, std::optional<std::uint64_t> pages) {
    if (!pages || r.passes_s <= 0) return absent_metric(std::move(name), "MiB/s", Better::higher);
    return metric(std::move(name), static_cast<double>(*pages * page_size) / k_mib / r.passes_s, "MiB/s",
                  Better::higher);
  };
  m.push_back(metric("elapsed_s", r.passes_s, "s", Better::lower));
  m.push_back(rate("swap_out_mib_per_s", out));
  m.push_back(rate("swap_in_mib_per_s", in));
  add_counter(m, "pswpout", out, Better::none);
  add_counter(m, "pswpin", in, Better::none);
  std::optional<std::uint64_t> calls, retrans;
  if (r.before.rpc && r.after_passes.rpc) {
    calls = delta(r.before.rpc->calls, r.after_passes.rpc->calls);
    retrans = delta(r.before.rpc->retransmissions, r.after_passes.rpc->retransmissions);
  }
  add_counter(m, "nfs_rpc_calls", calls, Better::none);
  add_counter(m, "nfs_rpc_retrans", retrans, Better::lower);
  add_counter(m, "oom_kills", delta(r.before.oom_kill, r.after_passes.oom_kill), Better::lower);
  add_counter(m, "tcp_pfmemalloc_drops", delta(r.before.pfmemalloc_drop, r.after_passes.pfmemalloc_drop),
              Better::lower);
  m.push_back(metric("pages_verified", static_cast<double>(r.verified_in_passes), "", Better::none));
  m.push_back(metric("pages_verified_after_swapoff",
                     static_cast<double>(r.tally.verified - r.verified_in_passes), "", Better::none));
  m.push_back(metric("pages_bad", static_cast<double>(r.tally.bad), "", Better::lower));
  m.push_back(metric("max_progress_gap_s", max_gap_s, "s", Better::lower));
  m.push_back(r.swapoff_s ? metric("swapoff_s", *r.swapoff_s, "s", Better::lower)
                          : absent_metric("swapoff_s", "s", Better::lower));
  m.push_back(metric("swapoff_mib", static_cast<double>(r.swapoff_kb) / 1024, "MiB", Better::none));
  return m;
}

}  // namespace

WorkloadOutcome run_swap_nfs(WorkloadContext& ctx, const nlohmann::json& params) {
  const auto began = Clock::now();
  auto p = workload::swap_nfs_params(params);
  if (!p) return {"error", p.error(), {}};
  auto address = server_address(ctx, p->server);
  if (!address) return {"error", address.error(), {}};
  const auto page_size = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  auto mem_total = read_meminfo_kb(ctx.root / "proc/meminfo", "MemTotal");
  if (!mem_total) return {"error", "cannot read MemTotal: " + mem_total.error(), {}};

  ChildReapingPause reaping_pause;  // the hog is reaped by its owner
  AgentOomShield shield;
  if (!shield.ok())
    return {"error", "cannot set the agent's oom_score_adj to -1000; refusing to exhaust memory", {}};
  AgentMemoryLock lock;
  if (lock.error()) return {"error", "cannot lock the agent's memory: " + *lock.error(), {}};

  auto mount = SwapNfsMount::mount({*address, p->export_path, p->nfs_version, {"hard"}}, k_mount_point);
  if (!mount) return {"error", mount.error(), {}};

  const std::uint64_t available_kb = read_meminfo_kb(ctx.root / "proc/meminfo", "MemAvailable").value_or(0);
  const std::uint64_t pages = workload::hog_pages(*mem_total, p->ratio, page_size);
  const std::uint64_t swap_bytes = p->swap_size.value_or(workload::swap_file_bytes(pages * page_size));
  const std::uint64_t seed = seed_now();
  std::atomic<std::uint64_t> pages_done{0};
  // From here on the host gets progress samples: a stall while the swap file is written shows too.
  SwapNfsSampler sampler(ctx, "swap-nfs", began, pages_done, page_size);
  const auto write_began = Clock::now();
  ActiveSwap swap(mount->path() / swap_file_name(ctx.plan, *address));
  auto written = write_swap_file(swap.path(), swap_bytes, page_size, uuid_from(seed));
  if (!written) return {"error", written.error(), {}};
  const double write_s = std::chrono::duration<double>(Clock::now() - write_began).count();
  if (auto on = swap.swapon(); !on) return {"error", on.error(), {}};
  ctx.port.send(agent::Log{
      "swap-nfs: NFSv" + p->nfs_version + " from " + *address + ":" + p->export_path + ", swap file " +
      std::to_string(swap_bytes >> 20) + " MiB " + *written + " in " + std::to_string(write_s) + " s; hog " +
      std::to_string(pages * page_size >> 20) + " MiB x " + std::to_string(p->passes) + " passes on " +
      std::to_string(p->threads) + (p->threads == 1 ? " thread" : " threads") + ", seed " +
      std::to_string(seed) + "; MemTotal " + std::to_string(*mem_total >> 10) + " MiB, available " +
      std::to_string(available_kb >> 10) + " MiB, agent locked " + std::to_string(lock.locked_kb() >> 10) +
      " MiB"});

  std::unique_ptr<NetLoadSink> load;
  if (p->net_load) {
    auto sink = NetLoadSink::connect(*address, workload::k_net_load_port);
    if (!sink) return {"error", "net_load: " + sink.error(), {}};
    load = std::move(*sink);
  }
  SwapNfsRunSpec spec{{pages, workload::swapoff_keep_pages(pages, available_kb, page_size), p->passes, seed,
                       static_cast<std::uint32_t>(std::min<std::uint64_t>(p->threads, pages))},
                      page_size,
                      &pages_done};
  const SwapNfsRunResult r = run_swap_nfs_hog(ctx, spec, swap);
  const double max_gap_s = sampler.finish();
  std::vector<agent::Metric> load_metrics;
  if (load) {
    const double mib = static_cast<double>(load->bytes_received()) / k_mib;
    const std::string ended = load->ended();
    load.reset();
    load_metrics.push_back(metric("net_load_mib", mib, "MiB", Better::none));
    load_metrics.push_back(r.passes_s > 0
                               ? metric("net_load_mib_per_s", mib / r.passes_s, "MiB/s", Better::none)
                               : absent_metric("net_load_mib_per_s", "MiB/s", Better::none));
    if (!ended.empty()) ctx.port.send(agent::Log{"swap-nfs: the network load ended early: " + ended});
  }

  WorkloadOutcome outcome;
  outcome.metrics = run_metrics(r, page_size, max_gap_s);
  outcome.metrics.insert(outcome.metrics.end(), load_metrics.begin(), load_metrics.end());
  outcome.metrics.push_back(metric("hog_pages", static_cast<double>(pages), "", Better::none));
  outcome.metrics.push_back(
      metric("hog_mib", static_cast<double>(pages * page_size) / k_mib, "MiB", Better::none));
  outcome.metrics.push_back(
      metric("swapfile_mib", static_cast<double>(swap_bytes) / k_mib, "MiB", Better::none));
  outcome.metrics.push_back(metric("swapfile_write_s", write_s, "s", Better::lower));
  outcome.metrics.push_back(
      metric("agent_locked_mib", static_cast<double>(lock.locked_kb()) / 1024, "MiB", Better::lower));
  if (r.tally.bad > 0) {
    outcome.verdict = "fail";
    outcome.detail = std::to_string(r.tally.bad) + " pages came back wrong: " + r.tally.describe_bad();
  } else if (!r.problem.empty()) {
    outcome.verdict = "fail";
    outcome.detail = r.problem;
  }
  if (auto off = swap.remove(); !off && outcome.verdict == "pass")
    outcome = {"error", off.error(), outcome.metrics};
  if (auto u = mount->unmount(); !u && outcome.verdict == "pass")
    outcome = {"error", u.error(), outcome.metrics};
  return outcome;
}

}  // namespace numalab::guest
