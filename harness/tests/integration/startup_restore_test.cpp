// The startup cache's mechanics on a real guest (issue 17, item 4): Debian's kernel on the default
// two-node topology boots with its RAM in files and a vmgenid device, says hello, is saved and
// stopped; a second QEMU restores it from the entry (RAM mapped copy-on-write) and the guest, which
// says hello no more, takes a plan and passes topology-check. Prints the cold boot, save and restore
// times.

#include <poll.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <set>

#include "launch/qemu_vm.hpp"
#include "launch/startup_cache.hpp"
#include "launch/startup_key.hpp"
#include "launch/vm_snapshot.hpp"
#include "numalab_runner.hpp"
#include "run/agent_link.hpp"
#include "run/run_preparation.hpp"
#include "run/vm_spec.hpp"
#include "util/utc_time.hpp"

namespace numalab::itest {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The agent's messages until `done` says enough, or the deadline. The console is drained meanwhile
// (QEMU blocks when nobody reads it), its last bytes kept in `console`.
template <class Done>
bool read_agent(launch::Vm& vm, run::AgentLink& link, util::Deadline deadline, std::string& console,
                Done done) {
  while (!deadline.expired()) {
    pollfd p[2] = {{vm.agent_fd(), POLLIN, 0}, {vm.console_fd(), POLLIN, 0}};
    if (::poll(p, 2, deadline.poll_timeout_ms()) <= 0) continue;
    char buf[8192];
    if (p[1].revents) {
      ssize_t c = ::read(vm.console_fd(), buf, sizeof buf);
      if (c > 0) console = (console + std::string(buf, static_cast<std::size_t>(c))).substr(0, 1 << 16);
    }
    if (!p[0].revents) continue;
    ssize_t n = ::read(vm.agent_fd(), buf, sizeof buf);
    if (n <= 0) return false;
    for (auto& r : link.feed({buf, static_cast<std::size_t>(n)}, 0))
      if (r.message && done(*r.message)) return true;
  }
  return false;
}

std::string timings(const std::vector<launch::TimedStep>& steps) {
  std::string text;
  for (const auto& s : steps) text += " " + s.name + "=" + std::to_string(s.took.count());
  return text;
}

class StartupRestore : public NumalabFixture {};

TEST_F(StartupRestore, ASavedGuestIsRestoredAndPassesTopologyCheck) {
  auto lab = lab::parse_lab_text(
      debian_guest_lab("startup", k_two_nodes, "[[workload]]\nname = \"topology-check\"\n"), "startup.toml");
  ASSERT_TRUE(lab) << lab.error().message;
  kernel::BuildOptions build;
  build.project_root = NUMALAB_SOURCE_DIR;
  build.cache_dir = util::cache_dir();
  auto kernels = run::resolve_lab_kernels(*lab, std::nullopt, build);
  ASSERT_TRUE(kernels) << kernels.error().message;
  run::RunSettings settings;
  settings.cache_dir = util::cache_dir();
  settings.agent_binary = std::filesystem::path(NUMALAB_BINARY).parent_path() / "numalab-agent";
  run::NoStatus status;
  auto prepared = run::prepare_run(*lab, *kernels, settings, status);
  ASSERT_TRUE(prepared) << prepared.error().message;
  const auto& machine = prepared->machines.at(0);
  const auto links = run::lab_links(*lab);
  const std::map<std::string, std::filesystem::path> sockets = {{"guest", tmp() / "s1"}};
  std::filesystem::create_directories(tmp() / "s1");
  std::filesystem::create_directories(tmp() / "s2");
  launch::VmSpec spec = run::vm_spec_for({*lab, machine, prepared->accel, links.at("guest"), sockets});
  spec.vmgenid = true;
  ASSERT_FALSE(spec.incoming);

  launch::StartupInputs key_inputs{spec, machine.kernel.sha256, machine.image.key, ""};
  launch::StartupCache cache(tmp() / "startup");

  // Cold boot with the RAM in the draft's files (share=on), up to the agent's hello.
  auto draft = cache.begin(launch::startup_key(key_inputs));
  ASSERT_TRUE(draft) << draft.error().message;
  spec.ram_files = draft->ram_files();
  const auto boot_start = Clock::now();
  auto booted = launch::QemuVm::start(spec, tmp() / "s1", tmp() / "qemu-boot.log",
                                      util::Deadline::after(std::chrono::seconds(30)));
  ASSERT_TRUE(booted) << booted.error().message;
  run::AgentLink boot_link;
  std::string console;
  std::optional<agent::Hello> hello;
  ASSERT_TRUE(read_agent(**booted, boot_link, util::Deadline::after(std::chrono::seconds(240)), console,
                         [&](const agent::GuestMessage& m) {
                           if (const auto* h = std::get_if<agent::Hello>(&m)) hello = *h;
                           return hello.has_value();
                         }))
      << "no hello; QEMU's log: " << (*booted)->log_tail(8) << "\nconsole: " << console;
  const double boot_s = seconds_since(boot_start);

  auto saved = launch::save_vm_state((*booted)->qmp(), draft->state_file(),
                                     util::Deadline::after(std::chrono::seconds(60)));
  ASSERT_TRUE(saved) << saved.error().message;
  const std::string qemu_version = (*booted)->qemu_version();
  (*booted)->shutdown();
  booted->reset();

  launch::StartupRecord record;
  record.kernel_sha256 = machine.kernel.sha256;
  record.image_key = machine.image.key;
  record.qemu_version = qemu_version;
  record.argv = launch::keyed_argv(spec);
  record.hello = *hello;
  record.boot_seconds = boot_s;
  record.created_at = util::utc_timestamp();
  auto entry = cache.commit(std::move(*draft), record);
  ASSERT_TRUE(entry) << entry.error().message;

  // Restore: a new QEMU on the entry's files, copy-on-write, waiting for the stream.
  launch::VmSpec again = spec;
  again.ram_files = entry->ram_files();
  again.incoming = true;
  const auto restore_start = Clock::now();
  auto restored = launch::QemuVm::start(again, tmp() / "s2", tmp() / "qemu-restore.log",
                                        util::Deadline::after(std::chrono::seconds(30)));
  ASSERT_TRUE(restored) << restored.error().message;
  auto steps = launch::restore_vm_state((*restored)->qmp(), entry->state_file(),
                                        util::Deadline::after(std::chrono::seconds(60)));
  ASSERT_TRUE(steps) << steps.error().message << "; QEMU's log: " << (*restored)->log_tail(8);
  const double restore_s = seconds_since(restore_start);

  // The guest waits for its plan, as it did when it said hello; the hello comes from the entry.
  const auto plan = run::plan_for(lab->machines.at(0), lab->workloads, links.at("guest"));
  ASSERT_TRUE(launch::write_all((*restored)->agent_fd(), agent::encode(plan) + "\n",
                                util::Deadline::after(std::chrono::seconds(5))));
  const auto plan_sent = Clock::now();
  run::AgentLink link;
  std::optional<agent::StepEnd> end;
  ASSERT_TRUE(read_agent(**restored, link, util::Deadline::after(std::chrono::seconds(120)), console,
                         [&](const agent::GuestMessage& m) {
                           if (const auto* e = std::get_if<agent::StepEnd>(&m);
                               e && e->workload == "topology-check")
                             end = *e;
                           return end.has_value();
                         }))
      << "no topology-check result after the restore; QEMU's log: " << (*restored)->log_tail(8)
      << "\nconsole: " << console;
  EXPECT_EQ(end->verdict, "pass") << end->detail;
  const double check_s = seconds_since(plan_sent);
  (*restored)->shutdown();

  std::cout << "startup cache, " << launch::to_string(prepared->accel.accel) << ": cold boot to hello "
            << boot_s << " s; save" << timings(*saved) << "; restore (QEMU start included) " << restore_s
            << " s:" << timings(*steps) << "; plan to topology-check pass " << check_s << " s\n";
  RecordProperty("boot_s", std::to_string(boot_s));
  RecordProperty("restore_s", std::to_string(restore_s));
}

// The "restored:" note the agent sends on a restored guest's plan, from a run's agent.jsonl.
std::string restored_note(const std::filesystem::path& run_dir) {
  std::ifstream in(run_dir / "guest" / "agent.jsonl");
  for (std::string line; std::getline(in, line);) {
    auto at = line.find("restored:");
    if (at != std::string::npos) return line.substr(at);
  }
  return "";
}

std::string after(const std::string& text, const std::string& word) {
  auto at = text.find(word);
  if (at == std::string::npos) return "";
  auto rest = text.substr(at + word.size());
  return rest.substr(0, rest.find_first_of(" \"\\"));
}

// `numalab run --boot restore`, end to end: the first run boots the guest once, saves it at its
// hello and restores it; the next ones find the entry and only restore. All pass topology-check, set
// the guest's clock from the host and draw different random values (the vmgenid re-seed); another
// kernel command line is another entry. A nonce on the command line keeps entries of earlier test
// runs out of it.
TEST_F(StartupRestore, RunsWithBootRestoreRestoreTheGuestWithTheHostClockAndFreshRandomness) {
  const std::string nonce = std::to_string(::getpid()) + "x" + std::to_string(std::time(nullptr));
  auto lab_with = [&](const std::string& n) {
    return write_lab("restore-" + n + ".toml",
                     debian_guest_lab("restore", k_two_nodes, "[[workload]]\nname = \"topology-check\"\n",
                                      "cmdline = [\"numalab_itest.nonce=" + n + "\"]\n"));
  };
  const auto lab = lab_with(nonce);
  auto first = run(lab, {"--boot", "restore"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("booting once to save the booted guest"), std::string::npos) << first.err;
  const auto& m1 = first.summary["machines"][0];
  EXPECT_EQ(m1["boot"], "restore") << first.summary.dump(1);
  EXPECT_EQ(first.summary["workloads"][0]["verdict"], "pass");
  const std::string key = m1["startup_key"];

  auto second = run(lab, {"--boot", "restore"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("restoring the guest booted in"), std::string::npos) << second.err;
  EXPECT_EQ(second.err.find("booting once"), std::string::npos) << second.err;
  const auto& m2 = second.summary["machines"][0];
  EXPECT_EQ(m2["boot"], "restore");
  EXPECT_EQ(m2["startup_key"], key);
  EXPECT_EQ(second.summary["workloads"][0]["verdict"], "pass");
  EXPECT_LT(m2["boot_seconds"].get<double>(), 5.0) << "a restore, not a boot";

  // Without a re-seed a restored guest repeats its random values on the same vCPU: of three
  // restores of a two-vCPU guest, two then draw the same UUID (measured: runs 1 and 3 of three).
  auto third = run(lab, {"--boot", "restore"});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  std::set<std::string> uuids;
  for (const auto* inv : {&first, &second, &third}) {
    const auto note = restored_note(inv->summary["run_dir"].get<std::string>());
    EXPECT_NE(note.find("now set"), std::string::npos) << note;
    const auto uuid = after(note, "random uuid ");
    ASSERT_EQ(uuid.size(), 36u) << note;
    uuids.insert(uuid);
  }
  EXPECT_EQ(uuids.size(), 3u)
      << "restores of one entry drew the same random value: the guest did not re-seed";

  auto other = run(lab_with(nonce + "b"), {"--boot", "restore"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_NE(other.err.find("booting once to save the booted guest"), std::string::npos) << other.err;
  EXPECT_NE(other.summary["machines"][0]["startup_key"], key);
  RecordProperty("restore_boot_s", std::to_string(m2["boot_seconds"].get<double>()));
}

}  // namespace
}  // namespace numalab::itest
