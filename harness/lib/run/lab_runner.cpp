#include "run/lab_runner.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "capture/evidence_capture.hpp"
#include "launch/accel_probe.hpp"
#include "run/lab_coordinator.hpp"
#include "run/machine_prep.hpp"
#include "util/json_text.hpp"
#include "util/signal_catcher.hpp"
#include "util/temp_dir.hpp"
#include "util/unix_socket.hpp"
#include "util/utc_time.hpp"

namespace numalab::run {

using result::Verdict;
using util::ErrorKind;
using util::fail;

namespace {

// Reads what is there (bounded per call, so one flooding guest cannot starve the others).
// Returns false when the peer closed.
template <class Sink>
bool drain(int fd, Sink&& sink) {
  char buf[16384];
  for (int i = 0; i < 4; ++i) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      sink(std::string_view(buf, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
    return false;
  }
  return true;
}

result::RunResult summarise(const lab::Lab& lab, const std::string& run_id, const std::string& started_at,
                            const std::filesystem::path& run_dir, double duration_s,
                            const std::vector<std::unique_ptr<MachineSession>>& sessions) {
  result::RunResult r;
  r.run_id = run_id;
  r.lab = lab.name;
  r.lab_file = lab.file.string();
  r.started_at = started_at;
  r.duration_s = duration_s;
  r.run_dir = run_dir.string();
  r.verdict = Verdict::pass;
  for (const auto& s : sessions) {
    r.machines.push_back(s->machine_result());
    if (s->verdict() != Verdict::pass) {
      if (result::worst(r.verdict, s->verdict()) != r.verdict || r.reason.empty())
        r.reason = s->name() + ": " + s->reason();
      r.verdict = result::worst(r.verdict, s->verdict());
    }
    for (auto& w : s->workload_results()) {
      if (w.verdict != Verdict::pass && r.reason.empty())
        r.reason = w.name + " on " + w.machine + ": " + w.detail;
      r.verdict = result::worst(r.verdict, w.verdict);
      r.workloads.push_back(std::move(w));
    }
  }
  return r;
}

}  // namespace

util::Result<RunOutcome> run_lab(const lab::Lab& lab, const RunOptions& opt, store::ResultsStore& store) {
  auto preps = prepare_machines(
      lab, {opt.kernel_override, opt.cache_dir, opt.agent_binary, opt.qemu_binary, opt.terminal}, opt.say);
  if (!preps) return std::unexpected(preps.error());

  const std::string started_at = util::utc_timestamp();
  auto run_id = store.begin_run(lab.name, lab.file.string(), started_at);
  if (!run_id) return std::unexpected(run_id.error());
  const auto run_dir = opt.results_dir / "runs" / *run_id;
  std::error_code ec;
  std::filesystem::create_directories(run_dir, ec);
  ::chmod(run_dir.c_str(), 0700);
  std::filesystem::copy_file(lab.file, run_dir / "lab.toml",
                             std::filesystem::copy_options::overwrite_existing, ec);
  opt.say("run " + *run_id + ": " + run_dir.string());

  auto scratch = util::ScopedTempDir::create("numalab-run-");
  if (!scratch) return std::unexpected(scratch.error());
  const auto accel = launch::choose_accel({opt.qemu_binary, (*preps)[0].kernel.image, (*preps)[0].image.path,
                                           opt.cache_dir, scratch->path() / "probe"});
  opt.say("accelerator: " + std::string(launch::to_string(accel.accel)) + " (" + accel.reason + ")");
  const bool sandbox = accel.sandbox;
  if (!sandbox) opt.say("this QEMU has no -sandbox (built without seccomp): running it without one");

  util::SignalCatcher signals;  // SIGINT and SIGTERM reach the poll loop while the run is under way
  const auto t0 = util::SteadyClock::now();
  std::vector<std::unique_ptr<MachineSession>> sessions;
  // Sockets live in the private run folder when its path is short enough for sockaddr_un. A NIC's
  // socket is in its machine's folder, and QEMU sends to the peer's: both are known before any starts.
  std::map<std::string, std::filesystem::path> sockets_dirs;
  for (const auto& p : *preps) {
    const auto dir = run_dir / p.machine->name;
    std::filesystem::create_directories(dir, ec);
    ::chmod(dir.c_str(), 0700);
    sockets_dirs[p.machine->name] = (dir / "agent.sock").string().size() < util::k_max_unix_path
                                        ? dir
                                        : scratch->path() / p.machine->name;
    std::filesystem::create_directories(sockets_dirs[p.machine->name], ec);
  }
  const auto links = lab_links(lab);
  for (const auto& p : *preps) {
    const auto dir = run_dir / p.machine->name;
    std::vector<lab::Workload> workloads;
    for (const auto& w : lab.workloads)
      if (w.machine == p.machine->name) workloads.push_back(w);
    result::MachineResult identity;
    identity.name = p.machine->name;
    identity.accel = launch::to_string(accel.accel);
    identity.accel_reason = accel.reason;
    identity.kernel = {p.kernel.name, p.kernel.release, p.kernel.sha256, p.kernel.image.string()};
    auto session =
        std::make_unique<MachineSession>(*p.machine, std::move(workloads), opt.limits, dir, identity);
    session->set_evidence_capture(
        capture::make_evidence_capture(capture::options_for(p.kernel, opt.capture)));

    launch::VmSpec spec;
    spec.qemu_binary = opt.qemu_binary;
    spec.name = p.machine->name;
    spec.nodes = p.machine->nodes;
    spec.distances = p.machine->distances;
    spec.kernel = p.kernel.image;
    spec.initrd = p.image.path;
    auto cmdline = p.machine->cmdline;  // the machine's own, then its [kernel.NAME]'s
    if (auto k = lab.kernels.find(p.kernel.name); k != lab.kernels.end())
      cmdline.insert(cmdline.end(), k->second.cmdline.begin(), k->second.cmdline.end());
    spec.kernel_cmdline = launch::build_kernel_cmdline(cmdline);
    spec.accel = accel.accel;
    spec.sandbox = sandbox;
    const auto& sockets_dir = sockets_dirs[p.machine->name];
    for (const auto& nic : links.at(p.machine->name).nics)
      spec.nics.push_back({nic.netdev, nic.interface.mac, sockets_dir / nic.socket,
                           sockets_dirs[nic.peer] / nic.peer_socket, k_lab_network_mtu, nic.model});
    auto vm = launch::Vm::start(spec, sockets_dir, dir / "qemu.log",
                                util::Deadline::after(std::chrono::seconds(30)));
    if (!vm) {
      session->abort(Verdict::error, "QEMU did not start: " + vm.error().message);
    } else {
      std::ofstream(dir / "qemu-argv.json") << nlohmann::json((*vm)->argv()).dump(1) << "\n";
      opt.say(p.machine->name + ": QEMU started (pid " + std::to_string((*vm)->process().pid()) + ")");
      session->attach(std::move(*vm));
    }
    sessions.push_back(std::move(session));
  }

  LabCoordinator coordinator(lab, sessions, opt.limits.ready_timeout, opt.say);
  int interrupted_by = 0;
  std::vector<std::string> last_activity(sessions.size());
  for (;;) {
    std::vector<pollfd> fds{{signals.fd(), POLLIN, 0}};
    std::vector<std::pair<std::size_t, int>> owner{{SIZE_MAX, 0}};  // session index, stream kind
    auto next = util::TimePoint::max();
    bool any_running = false;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
      auto& s = *sessions[i];
      if (s.finished()) continue;
      any_running = true;
      next = std::min(next, s.next_deadline());
      for (int kind = 0; kind < 3 && s.vm(); ++kind) {
        int fd = kind == 0 ? s.vm()->console_fd() : kind == 1 ? s.vm()->agent_fd() : s.vm()->qmp_fd();
        if (fd < 0) continue;
        fds.push_back({fd, POLLIN, 0});
        owner.emplace_back(i, kind);
      }
    }
    if (!any_running) break;
    next = std::min(next, coordinator.next_deadline());
    // Wake at least every 500 ms to notice QEMU exiting (its sockets close then, too).
    next = std::min(next, util::SteadyClock::now() + std::chrono::milliseconds(500));
    ::poll(fds.data(), fds.size(), util::Deadline(next).poll_timeout_ms());

    if (fds[0].revents & POLLIN) {
      interrupted_by = signals.take();
      opt.say(std::string("interrupted by ") + ::strsignal(interrupted_by) + ": stopping every VM");
      for (auto& s : sessions)
        s->abort(Verdict::error,
                 std::string("numalab was interrupted (") + ::strsignal(interrupted_by) + ")");
      break;
    }
    for (std::size_t f = 1; f < fds.size(); ++f) {
      if (!fds[f].revents) continue;
      auto& s = *sessions[owner[f].first];
      if (s.finished() || !s.vm()) continue;
      const int kind = owner[f].second;
      if (kind == 0)
        drain(fds[f].fd, [&](std::string_view b) { s.on_console(b); });
      else if (kind == 1)
        drain(fds[f].fd, [&](std::string_view b) { s.on_agent(b); });
      else if (auto ev = s.vm()->qmp().poll_events(); ev)
        s.on_qmp_events(*ev);
    }
    const auto now = util::SteadyClock::now();
    coordinator.on_time(now);
    for (std::size_t i = 0; i < sessions.size(); ++i) {
      auto& s = *sessions[i];
      if (s.finished()) continue;
      if (s.vm() && !s.vm()->process().running()) s.on_qemu_exit(*s.vm()->process().exit_status());
      s.on_time(now);
      if (auto a = s.activity(); a != last_activity[i]) {
        if (last_activity[i] == "booting" && s.machine_result().topology_seen) {
          char secs[32];
          std::snprintf(secs, sizeof secs, "%.2f", s.machine_result().boot_seconds);
          opt.say(s.name() + ": agent hello after " + secs + " s, kernel " +
                  s.machine_result().kernel.release);
        }
        last_activity[i] = a;
        if (a != "finished" && a != "stopping" && a != "running") opt.say(s.name() + ": " + a);
      }
    }
  }
  for (auto& s : sessions) s->shut_down();

  const double duration = std::chrono::duration<double>(util::SteadyClock::now() - t0).count();
  RunOutcome out{summarise(lab, *run_id, started_at, run_dir, duration, sessions), interrupted_by};
  out.result.faults = coordinator.fault_records();
  std::ofstream(run_dir / "summary.json") << util::json_document(result::to_summary_json(out.result));
  if (auto stored = store.finish_run(out.result); !stored) return std::unexpected(stored.error());
  return out;
}

}  // namespace numalab::run
