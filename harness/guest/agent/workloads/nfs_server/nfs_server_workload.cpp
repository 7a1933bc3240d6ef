// nfs-server: the kernel's NFS server (knfsd) exporting a tmpfs to the lab's other machines.
// Brought up step by step (nfs_server.hpp), checked from inside over 127.0.0.1 (nfs_server_self_check.hpp),
// then ready (agent::Ready{"nfs"}): the host starts the machines that use it. It serves until the
// host's release line (its clients are finished) or `serve_for` (default 30m), sampling the RPC
// calls it served once a second. While it serves it also streams bytes over TCP to any client that
// connects to workload::k_net_load_port (swap-nfs's net_load, common/net_load.hpp). Then nfsd stops, the
// daemons are reaped, and the server's counters
// (/proc/net/rpc/nfsd) are the metrics. Verdict "error" when any step fails, naming the program,
// how it ended and its output; "pass" otherwise.

#include <chrono>

#include "common/child_reaping_pause.hpp"
#include "common/metric.hpp"
#include "common/net_load.hpp"
#include "common/proc_file.hpp"
#include "common/workload.hpp"
#include "init/console.hpp"
#include "workload/common/nfsd_stats.hpp"
#include "workload/common/params.hpp"
#include "workload/nfs_server/nfs_server_spec.hpp"
#include "workload/swap_nfs/swap_nfs_plan.hpp"
#include "workloads/nfs_server/nfs_server.hpp"
#include "workloads/nfs_server/nfs_server_self_check.hpp"

namespace numalab::guest {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto k_sample_interval = std::chrono::seconds(1);
constexpr const char* k_name = "nfs-server";

std::expected<NfsServerConfig, std::string> config_from(const nlohmann::json& params) {
  const auto& spec = workload::nfs_server_spec().params;
  NfsServerConfig c;
  auto dir = workload::string_param(params, spec, "export");
  if (!dir) return std::unexpected(dir.error());
  c.export_dir = dir->value();
  if (!c.export_dir.is_absolute() || c.export_dir == "/")
    return std::unexpected("export: expected an absolute path other than /, got '" + c.export_dir.string() +
                           "'");
  auto size = workload::size_param(params, spec, "size");
  if (!size) return std::unexpected(size.error());
  c.size_bytes = size->value();
  auto threads = workload::integer_param(params, spec, "threads");
  if (!threads) return std::unexpected(threads.error());
  c.threads = static_cast<int>(threads->value());
  return c;
}

workload::NfsdStats nfsd_stats() {
  auto text = read_proc_file("/proc/net/rpc/nfsd");
  return text ? workload::parse_nfsd_stats(*text) : workload::NfsdStats{};
}

agent::Metric counter(std::string name, std::optional<std::uint64_t> v, double scale, std::string unit,
                      model::Better better) {
  if (!v) return absent_metric(std::move(name), std::move(unit), better);
  return metric(std::move(name), static_cast<double>(*v) * scale, std::move(unit), better);
}

enum class ServeEnd { released, time_up, port_failed };

// Reads the host's lines (only this thread reads the port; the heartbeat thread only writes, under
// the port's write lock) until a release or the deadline, sampling the server's counters.
ServeEnd serve(WorkloadContext& ctx, NfsServer& server, Clock::time_point began, Clock::time_point until,
               std::string& daemon_gone) {
  for (;;) {
    const auto now = Clock::now();
    if (now >= until) return ServeEnd::time_up;
    auto line =
        ctx.port.read_line(util::Deadline::after(std::chrono::duration_cast<std::chrono::milliseconds>(
            std::min<Clock::duration>(k_sample_interval, until - now))));
    if (line && agent::is_release(*line)) return ServeEnd::released;
    if (line) ctx.port.send(agent::Log{"nfs-server: ignored a line from the host while serving"});
    if (!line && line.error().find("in time") == std::string::npos) {
      ctx.port.send(agent::Log{"nfs-server: the port failed while serving: " + line.error()});
      return ServeEnd::port_failed;
    }
    const double at = std::chrono::duration<double>(Clock::now() - began).count();
    auto stats = nfsd_stats();
    if (stats.rpc_calls)
      ctx.port.send(agent::Sample{k_name, "rpc_calls", at, static_cast<double>(*stats.rpc_calls)});
    if (daemon_gone = server.daemons_gone(); !daemon_gone.empty()) return ServeEnd::time_up;
  }
}

}  // namespace

WorkloadOutcome run_nfs_server(WorkloadContext& ctx, const nlohmann::json& params) {
  const auto began = Clock::now();
  auto config = config_from(params);
  if (!config) return {"error", config.error(), {}};
  auto serve_for = workload::duration_param(params, workload::nfs_server_spec().params, "serve_for");
  if (!serve_for) return {"error", serve_for.error(), {}};
  const auto serve_limit = serve_for->value();

  ChildReapingPause reaping;  // the daemons' exit status is ours to read
  NfsServer server(*config);
  if (auto r = server.start(); !r) return {"error", "starting the NFS server: " + r.error(), {}};
  const auto checking = Clock::now();
  if (auto r = nfs_self_check(config->export_dir); !r)
    return {"error", "the NFS server's self-check: " + r.error(), {}};
  const auto check_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - checking).count();
  auto load = NetLoadSource::listen(workload::k_net_load_port);
  if (!load) return {"error", "the network load's listener: " + load.error(), {}};
  ctx.port.send(agent::Log{"nfs-server: up (" + server.timings() + ", self-check over NFSv3 and NFSv4.2 " +
                           std::to_string(check_ms) + " ms); network load on TCP port " +
                           std::to_string(workload::k_net_load_port)});
  const double ready_s = std::chrono::duration<double>(Clock::now() - began).count();
  ctx.port.send(agent::Ready{"nfs"});
  say("nfs-server: ready, exporting " + config->export_dir.string());

  const auto serving = Clock::now();
  std::string daemon_gone;
  const ServeEnd end = serve(ctx, server, began, serving + serve_limit, daemon_gone);
  const double served_s = std::chrono::duration<double>(Clock::now() - serving).count();
  const auto stats = nfsd_stats();
  const double load_mib = static_cast<double>((*load)->bytes_sent()) / (1 << 20);
  const int load_connections = (*load)->connections();
  load->reset();
  server.stop();
  ctx.port.send(agent::Log{std::string("nfs-server: served ") + std::to_string(served_s) + " s, ended by " +
                           (end == ServeEnd::released ? "the host's release" : "serve_for")});

  WorkloadOutcome out;
  out.metrics = {
      counter("rpc_calls", stats.rpc_calls, 1, "calls", model::Better::none),
      counter("rpc_bad_calls", stats.rpc_bad_calls, 1, "calls", model::Better::lower),
      counter("read_mb", stats.bytes_read, 1.0 / (1 << 20), "MB", model::Better::none),
      counter("written_mb", stats.bytes_written, 1.0 / (1 << 20), "MB", model::Better::none),
      metric("ready_s", ready_s, "s", model::Better::lower),
      metric("served_s", served_s, "s", model::Better::none),
      metric("net_load_sent_mib", load_mib, "MiB", model::Better::none),
      metric("net_load_connections", static_cast<double>(load_connections), "", model::Better::none),
  };
  if (!daemon_gone.empty()) {
    out.verdict = "error";
    out.detail = "a daemon of the NFS server ended while serving: " + daemon_gone;
  }
  return out;
}

}  // namespace numalab::guest
