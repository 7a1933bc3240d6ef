#include "run/active_run.hpp"

#include <sys/stat.h>

#include <cstring>

#include "run/startup_preparation.hpp"
#include "run/vm_spec.hpp"
#include "util/file_contents.hpp"
#include "util/json_text.hpp"
#include "util/unix_socket.hpp"
#include "util/utc_time.hpp"

namespace numalab::run {

using result::Verdict;
using util::ErrorKind;
using util::fail;
using util::TimePoint;

namespace {

std::filesystem::path private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  ::chmod(dir.c_str(), 0700);
  return dir;
}

// A run id in the store (the run is "running" until it is stored), the run folder with a copy of
// the lab file.
util::Result<RunIdentity> begin_run(const lab::Lab& lab, const RunSettings& s, RunEnvironment& env) {
  RunIdentity id;
  id.started_at = util::utc_timestamp();
  auto run_id = env.store.begin_run(lab.name, lab.file.string(), id.started_at);
  if (!run_id) return std::unexpected(run_id.error());
  id.run_id = *run_id;
  id.dir = private_dir(s.results_dir / "runs" / id.run_id);
  std::error_code ec;
  std::filesystem::copy_file(lab.file, id.dir / "lab.toml", std::filesystem::copy_options::overwrite_existing,
                             ec);
  env.status.on(RunStarted{id.run_id, id.dir});
  return id;
}

// Sockets live in the machine's private run folder when its path is short enough for
// sockaddr_un, else in the scratch folder. A NIC's socket is in its machine's folder and QEMU sends
// to the peer's, so every machine's folder is known before any VM starts.
std::map<std::string, std::filesystem::path> sockets_dirs(const PreparedRun& prepared,
                                                          const std::filesystem::path& run_dir,
                                                          const std::filesystem::path& scratch) {
  std::map<std::string, std::filesystem::path> out;
  for (const auto& p : prepared.machines) {
    const auto dir = private_dir(run_dir / p.machine->name);
    out[p.machine->name] = private_dir(
        (dir / "agent.sock").string().size() < util::k_max_unix_path ? dir : scratch / p.machine->name);
  }
  return out;
}

result::MachineResult identity_of(const PreparedMachine& p, const launch::AccelChoice& accel) {
  result::MachineResult identity;
  identity.name = p.machine->name;
  identity.accel = launch::to_string(accel.accel);
  identity.accel_reason = accel.reason;
  identity.kernel = {p.kernel.name, p.kernel.release, p.kernel.sha256, p.kernel.image.string()};
  return identity;
}

// One MachineRun per machine, its VM started (or the machine ended with error).
std::vector<std::unique_ptr<MachineRun>> start_machines(const lab::Lab& lab, const PreparedRun& prepared,
                                                        const RunIdentity& id,
                                                        const std::filesystem::path& scratch,
                                                        const RunSettings& s, RunEnvironment& env) {
  const auto links = lab_links(lab);
  const auto sockets = sockets_dirs(prepared, id.dir, scratch);
  std::vector<std::unique_ptr<MachineRun>> machines;
  for (const auto& p : prepared.machines) {
    const auto& name = p.machine->name;
    MachinePlan plan{*p.machine, {}, links.at(name)};
    for (const auto& w : lab.workloads)
      if (w.machine == name) plan.workloads.push_back(w);
    auto m = std::make_unique<MachineRun>(std::move(plan), s.limits, id.dir / name,
                                          identity_of(p, prepared.accel), env.status);
    auto spec = vm_spec_for({lab, p, prepared.accel, links.at(name), sockets, s.qemu_binary});
    const launch::VmPlace place{id.dir / name, sockets.at(name)};
    auto evidence = [&] { return env.evidence ? env.evidence(p.kernel) : nullptr; };
    std::string fresh_because = p.fresh_because;
    if (p.startup) {
      spec = restorable(std::move(spec));  // as the entry was booted
      if (const auto key = machine_startup_key(spec, p, prepared.qemu_version);
          key != p.startup->record.key) {
        fresh_because = "this run's machine keys to " + key + ", not to the prepared entry " +
                        p.startup->record.key + " (a numalab bug)";
      } else if (auto vm = env.launcher.restore(spec, place, *p.startup); vm) {
        m->attach_restored(std::move(*vm), evidence(), *p.startup, env.clock.now());
        machines.push_back(std::move(m));
        continue;
      } else {
        fresh_because =
            "restoring startup cache entry " + p.startup->record.key + " failed: " + vm.error().message;
      }
    }
    auto vm = env.launcher.start(spec, place);
    if (!vm)
      m->abort(Verdict::error, "QEMU did not start: " + vm.error().message, env.clock.now());
    else
      m->attach(std::move(*vm), evidence());
    if (!fresh_because.empty()) m->booting_fresh_because(fresh_because, env.clock.now());
    machines.push_back(std::move(m));
  }
  return machines;
}

std::vector<MachineRun*> pointers(const std::vector<std::unique_ptr<MachineRun>>& machines) {
  std::vector<MachineRun*> out;
  for (const auto& m : machines) out.push_back(m.get());
  return out;
}

}  // namespace

ActiveRun::ActiveRun(const lab::Lab& lab, RunIdentity id, util::ScopedTempDir scratch, TimePoint t0)
    : lab_(lab), id_(std::move(id)), scratch_(std::move(scratch)), t0_(t0) {}

util::Result<std::unique_ptr<ActiveRun>> ActiveRun::begin(const lab::Lab& lab, const PreparedRun& prepared,
                                                          const RunSettings& s, RunEnvironment& env) {
  auto scratch = util::ScopedTempDir::create("numalab-run-");
  if (!scratch) return std::unexpected(scratch.error());
  auto id = begin_run(lab, s, env);
  if (!id) return std::unexpected(id.error());
  std::unique_ptr<ActiveRun> run(new ActiveRun(lab, std::move(*id), std::move(*scratch), env.clock.now()));
  run->machines_ = start_machines(lab, prepared, run->id_, run->scratch_.path(), s, env);
  run->gate_ = std::make_unique<ServiceGate>(pointers(run->machines_), s.ready_timeout);
  run->faults_ = std::make_unique<FaultSchedule>(lab.faults, pointers(run->machines_), env.status);
  return run;
}

bool ActiveRun::finished() const {
  return std::all_of(machines_.begin(), machines_.end(), [](const auto& m) { return m->finished(); });
}

TimePoint ActiveRun::next_deadline() const {
  TimePoint next = faults_->next_deadline();
  for (const auto& m : machines_)
    if (!m->finished()) next = std::min(next, m->next_deadline());
  return next;
}

void ActiveRun::on_time(TimePoint now) {
  gate_->on_time(now);
  if (!workloads_started_ && gate_->all_started()) workloads_started_ = now;
  faults_->on_time(workloads_started_, now);
  for (auto& m : machines_)
    if (!m->finished()) m->on_time(now);
}

void ActiveRun::interrupt(int signal, TimePoint now) {
  interrupted_by_ = signal;
  abort(std::string("numalab was interrupted (") + ::strsignal(signal) + ")", now);
}

void ActiveRun::abort(const std::string& why, TimePoint now) {
  for (auto& m : machines_) m->abort(Verdict::error, why, now);
}

util::Result<RunOutcome> ActiveRun::store(RunEnvironment& env, TimePoint now) {
  const double duration = std::chrono::duration<double>(now - t0_).count();
  RunOutcome out{summarise(lab_, id_, duration, machines_), interrupted_by_};
  out.result.faults = faults_->records();
  // The database gets the run even when summary.json cannot be written (a full disk); then the
  // command fails saying so, since scripts read that file.
  auto summary =
      util::write_file(id_.dir / "summary.json", util::json_document(result::to_summary_json(out.result)));
  if (auto stored = env.store.finish_run(out.result); !stored) return std::unexpected(stored.error());
  env.status.on(RunFinished{out.result.run_id, out.result.verdict, out.result.duration_s});
  if (!summary)
    return fail(ErrorKind::cannot_run,
                "run " + out.result.run_id + " is stored in the database, but " + summary.error().message);
  return out;
}

}  // namespace numalab::run
