#include "run/startup_preparation.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include "launch/accel_probe.hpp"
#include "launch/startup_key.hpp"
#include "launch/vm_snapshot.hpp"
#include "run/agent_link.hpp"
#include "run/lab_links.hpp"
#include "run/machine_logs.hpp"
#include "run/vm_spec.hpp"
#include "util/temp_dir.hpp"
#include "util/utc_time.hpp"

namespace numalab::run {

using util::ErrorKind;
using util::fail;

namespace {

constexpr auto k_save_limit = std::chrono::seconds(60);
constexpr std::size_t k_console_tail = 2048;

// What the cold boot of an entry ended with: the hello, or why there is none (`interrupted` set
// when a stop request ended it).
struct BootOutcome {
  std::optional<agent::Hello> hello;
  std::string why_not;
  bool interrupted = false;
};

// Serves a booting VM until its agent says hello: the console goes to `console` (QEMU stops the
// guest when nobody reads it), the agent's lines are decoded as a run decodes them.
BootOutcome wait_for_hello(launch::Vm& vm, ConsoleLog& console, util::Deadline deadline,
                           util::StopRequest& stop) {
  AgentLink link;
  std::string tail;
  const auto started = util::SteadyClock::now();
  auto why = [&](const std::string& what) {
    return what + (tail.empty() ? "" : "; its console ended with:\n" + tail);
  };
  for (;;) {
    if (stop.requested()) return {std::nullopt, "numalab was interrupted", true};
    if (auto exit = vm.exited())
      return {std::nullopt,
              why("QEMU ended before the agent's hello (" + exit->to_string() + "):\n" + vm.log_tail(4))};
    if (deadline.expired()) return {std::nullopt, why("the agent did not say hello within the boot timeout")};
    pollfd fds[3] = {{vm.agent_fd(), POLLIN, 0}, {vm.console_fd(), POLLIN, 0}, {stop.fd(), POLLIN, 0}};
    if (::poll(fds, 3, std::min(200, deadline.poll_timeout_ms())) <= 0) continue;
    char buf[16384];
    if (fds[1].revents != 0) {
      const ssize_t n = ::read(vm.console_fd(), buf, sizeof buf);
      if (n > 0) {
        console.write({buf, static_cast<std::size_t>(n)});
        tail = (tail + std::string(buf, static_cast<std::size_t>(n)));
        if (tail.size() > k_console_tail) tail.erase(0, tail.size() - k_console_tail);
      }
    }
    if (fds[0].revents == 0) continue;
    const ssize_t n = ::read(vm.agent_fd(), buf, sizeof buf);
    if (n == 0) return {std::nullopt, why("the agent's port closed before its hello")};
    if (n < 0) continue;
    const double at = std::chrono::duration<double>(util::SteadyClock::now() - started).count();
    for (auto& received : link.feed({buf, static_cast<std::size_t>(n)}, at))
      if (received.message)
        if (const auto* h = std::get_if<agent::Hello>(&*received.message)) return {*h, "", false};
  }
}

struct Made {
  std::optional<launch::StartupEntry> entry;
  std::string why_not;
};

// One cold boot of the machine with its RAM in a draft's files, saved at the agent's hello.
util::Result<Made> make_entry(const launch::VmSpec& base, const std::string& key, const PreparedMachine& p,
                              const std::string& qemu_version, const RunSettings& s,
                              const launch::StartupCache& cache, launch::Launcher& launcher,
                              util::StopRequest& stop) {
  auto draft = cache.begin(key);
  if (!draft) return std::unexpected(draft.error());
  auto sockets = util::ScopedTempDir::create("numalab-startup-");
  if (!sockets) return std::unexpected(sockets.error());
  launch::VmSpec spec = base;
  spec.ram_files = draft->ram_files();
  const auto t0 = util::SteadyClock::now();
  // qemu.log, qemu-argv.json and console.log of the boot stay in the entry.
  auto vm = launcher.start(spec, {draft->dir(), sockets->path()});
  if (!vm) return Made{std::nullopt, "QEMU did not start: " + vm.error().message};
  ConsoleLog console(draft->dir() / "console.log");
  auto booted = wait_for_hello(**vm, console, util::Deadline::after(s.limits.boot_timeout), stop);
  if (booted.interrupted) {
    (*vm)->stop();
    return fail(ErrorKind::interrupted, "interrupted while booting a guest for the startup cache");
  }
  if (!booted.hello) {
    (*vm)->stop();
    return Made{std::nullopt, booted.why_not};
  }
  const double boot_s = std::chrono::duration<double>(util::SteadyClock::now() - t0).count();
  auto saved = launch::save_vm_state((*vm)->qmp(), draft->state_file(), util::Deadline::after(k_save_limit));
  (*vm)->stop();
  if (!saved) return Made{std::nullopt, saved.error().message};

  launch::StartupRecord record;
  record.kernel_sha256 = p.kernel.sha256;
  record.image_key = p.image.key;
  record.qemu_version = qemu_version;
  record.argv = launch::keyed_argv(base);
  record.hello = *booted.hello;
  record.boot_seconds = boot_s;
  record.created_at = util::utc_timestamp();
  auto entry = cache.commit(std::move(*draft), std::move(record));
  if (!entry) return std::unexpected(entry.error());
  return Made{std::move(*entry), ""};
}

}  // namespace

lab::Boot boot_of(const lab::Lab& lab, const RunSettings& s) {
  return s.boot.value_or(lab.boot.value_or(lab::Boot::fresh));
}

util::Result<std::string> boot_fresh_for_compare(const lab::Lab& lab, RunSettings& s) {
  constexpr const char* why =
      "restored runs share one boot per kernel, so what that boot fixed (where memory lies) differs "
      "between the kernels' startup cache entries, not between runs: an A/A compare of one kernel "
      "with two entries called numa_pages_migrated significant (+1.56 %, 0 % CV), fresh boots did not";
  if (s.boot == lab::Boot::restore)
    return fail(ErrorKind::bad_input, std::string("--boot restore: a compare boots every run fresh; ") + why +
                                          ". Use --jobs for speed; run and repro take --boot restore");
  if (!s.boot && lab.boot == lab::Boot::restore) {
    s.boot = lab::Boot::fresh;
    return std::string("the lab says boot = \"restore\"; this compare boots every run fresh: ") + why;
  }
  return std::string();
}

launch::VmSpec restorable(launch::VmSpec spec) {
  spec.vmgenid = true;
  return spec;
}

launch::VmSpec restorable_spec(const lab::Lab& lab, const PreparedMachine& p,
                               const launch::AccelChoice& accel, const std::string& qemu_binary,
                               const std::filesystem::path& sockets_root) {
  const auto links = lab_links(lab);
  std::map<std::string, std::filesystem::path> sockets;
  for (const auto& m : lab.machines) sockets[m.name] = sockets_root / m.name;
  return restorable(vm_spec_for({lab, p, accel, links.at(p.machine->name), sockets, qemu_binary}));
}

std::string machine_startup_key(const launch::VmSpec& spec, const PreparedMachine& p,
                                const std::string& qemu_version) {
  return launch::startup_key({spec, p.kernel.sha256, p.image.key, qemu_version});
}

util::Result<void> prepare_startup(const lab::Lab& lab, PreparedRun& run, const RunSettings& s,
                                   const launch::StartupCache& cache, launch::Launcher& launcher,
                                   util::StopRequest& stop, StatusSink& status) {
  if (boot_of(lab, s) != lab::Boot::restore) return {};
  auto version = launch::qemu_version_line(s.qemu_binary);  // a restore needs the same QEMU
  if (!version) {
    for (auto& p : run.machines) p.fresh_because = "cannot key the startup cache: " + version.error().message;
    status.on(Note{"startup cache: " + run.machines.front().fresh_because + "; booting fresh"});
    return {};
  }
  run.qemu_version = *version;
  (void)cache.prune(k_startup_entries_kept);
  for (auto& p : run.machines) {
    const auto& name = p.machine->name;
    const auto spec = restorable_spec(lab, p, run.accel, s.qemu_binary, "/numalab-sockets");
    const auto key = machine_startup_key(spec, p, *version);
    if (auto found = cache.find(key)) {
      status.on(Note{fmt::format("{}: restoring the guest booted in {:.1f} s (startup cache entry {})", name,
                                 found->record.boot_seconds, key)});
      p.startup = std::move(*found);
      continue;
    }
    status.on(
        Note{fmt::format("{}: booting once to save the booted guest (startup cache entry {})", name, key)});
    auto made = make_entry(spec, key, p, *version, s, cache, launcher, stop);
    if (!made) return std::unexpected(made.error());
    if (!made->entry) {
      p.fresh_because = "no startup cache entry: " + made->why_not;
      status.on(Note{name + ": " + p.fresh_because + "; every run boots fresh"});
      continue;
    }
    status.on(Note{fmt::format("{}: saved after a {:.1f} s boot; runs restore it", name,
                               made->entry->record.boot_seconds)});
    p.startup = std::move(*made->entry);
  }
  return {};
}

}  // namespace numalab::run
