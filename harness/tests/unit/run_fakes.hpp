#pragma once
// Fakes of the run stage's OS boundaries, for its unit tests: a clock that jumps to the next
// deadline (or the next scripted guest action) when nothing is ready, a VM whose console, agent
// port and QMP the test plays the guest's side of, a launcher of such VMs, a stop request the test
// triggers, a status sink that records, and an evidence taker that records (and can be made to
// wait). The run stage's real loop, machines and verdict rules run against them.

#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "agent/protocol.hpp"
#include "capture/evidence_capture.hpp"
#include "launch/vm.hpp"
#include "run/run_settings.hpp"
#include "run/status.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"
#include "util/stop_request.hpp"
#include "util/unique_fd.hpp"

namespace numalab::run::testing {

using namespace std::chrono_literals;
using util::TimePoint;

// Fake time. wait() returns at once when a descriptor is ready; else time jumps to `until` or to
// the next scripted action, whichever comes first, and the actions due run (on the loop's thread).
class FakeClock final : public util::Clock {
 public:
  static constexpr TimePoint k_epoch = TimePoint(std::chrono::hours(1));
  TimePoint now() const override { return now_; }
  int wait(std::span<pollfd> fds, TimePoint until) override {
    run_due();
    if (int n = ::poll(fds.data(), fds.size(), 0); n > 0) return n;
    // Threads of the run (a machine's ending) work in real time: give them a moment first.
    if (int n = ::poll(fds.data(), fds.size(), 1); n > 0) return n;
    TimePoint next = until;
    if (!actions_.empty()) next = std::min(next, actions_.begin()->first);
    if (next > now_) now_ = next;
    run_due();
    const int n = ::poll(fds.data(), fds.size(), 0);
    return n > 0 ? n : 0;
  }
  // `action` runs once the fake time reaches k_epoch + at.
  void at(std::chrono::milliseconds at, std::function<void()> action) {
    actions_.emplace(k_epoch + at, std::move(action));
  }
  double seconds() const { return std::chrono::duration<double>(now_ - k_epoch).count(); }

 private:
  void run_due() {
    while (!actions_.empty() && actions_.begin()->first <= now_) {
      auto action = std::move(actions_.begin()->second);
      actions_.erase(actions_.begin());
      action();
    }
  }
  TimePoint now_ = k_epoch;
  std::multimap<TimePoint, std::function<void()>> actions_;
};

// QMP as QEMU answers it: {"return": {}} to every command (or a queued error), and events the test
// injects. qmp_fd() is readable while events wait.
class FakeQmp final : public launch::QmpTransport {
 public:
  FakeQmp() : ready_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  util::Result<void> write_line(std::string_view line) override {
    std::lock_guard lock(mutex_);
    auto req = nlohmann::json::parse(line);
    const std::string cmd = req["execute"];
    commands.push_back(cmd);
    nlohmann::json reply{{"return", nlohmann::json::object()}};
    if (auto it = errors.find(cmd); it != errors.end())
      reply = {{"error", {{"class", "GenericError"}, {"desc", it->second}}}};
    reply["id"] = req["id"];
    out_.push_back(reply.dump());
    if (auto ev = events_after.find(cmd); ev != events_after.end()) {
      out_.push_back(ev->second.dump());
      const std::uint64_t one = 1;
      (void)!::write(ready_.get(), &one, sizeof one);
    }
    return {};
  }
  util::Result<void> write_line_with_fd(std::string_view line, int) override { return write_line(line); }
  util::Result<std::optional<std::string>> read_line(util::Deadline) override {
    std::lock_guard lock(mutex_);
    if (out_.empty()) {
      std::uint64_t n = 0;
      (void)!::read(ready_.get(), &n, sizeof n);
      return std::optional<std::string>();
    }
    auto l = out_.front();
    out_.pop_front();
    return std::optional<std::string>(l);
  }
  void event(const std::string& name) {
    std::lock_guard lock(mutex_);
    out_.push_back(nlohmann::json{{"event", name}, {"data", nlohmann::json::object()}}.dump());
    const std::uint64_t one = 1;
    (void)!::write(ready_.get(), &one, sizeof one);
  }
  int fd() const { return ready_.get(); }

  std::vector<std::string> commands;
  std::map<std::string, std::string> errors;  // command -> the error QEMU answers with
  // command -> the event QEMU sends after its reply ({"event": ..., "data": ...})
  std::map<std::string, nlohmann::json> events_after;

 private:
  std::mutex mutex_;
  util::UniqueFd ready_;
  std::deque<std::string> out_;
};

// A VM whose guest side the test plays: what the kernel prints, what the agent says, QMP events,
// the VM's exit. The run stage's side is real sockets.
class FakeVm final : public launch::Vm {
 public:
  // VMs that exist, and VMs that were destroyed without being stopped and without exiting.
  struct Census {
    std::atomic<int> alive{0};
    std::atomic<int> never_stopped{0};
  };
  FakeVm(TimePoint started, std::string name) : started_(started), name_(std::move(name)) {
    int c[2], a[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, c), 0);
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, a), 0);
    console_.reset(c[0]);
    guest_console_.reset(c[1]);
    agent_.reset(a[0]);
    guest_agent_.reset(a[1]);
    auto t = std::make_unique<FakeQmp>();
    qmp_transport = t.get();
    qmp_ = std::make_unique<launch::QmpClient>(std::move(t));
  }
  int console_fd() const override { return console_.get(); }
  int agent_fd() const override { return agent_.get(); }
  int qmp_fd() const override { return qmp_transport->fd(); }
  launch::QmpClient& qmp() override { return *qmp_; }
  std::optional<util::ExitStatus> exited() override {
    std::lock_guard lock(mutex_);
    return exit_;
  }
  TimePoint started_at() const override { return started_; }
  std::string describe() const override { return "fake " + name_; }
  std::string log_tail(std::size_t) const override { return "  (the fake VM's log)\n"; }
  void stop() override {
    std::lock_guard lock(mutex_);
    stops.fetch_add(1);
    if (!exit_) exit_ = util::ExitStatus{std::nullopt, 15};
    guest_console_.reset();
    guest_agent_.reset();
  }

  // The guest's side.
  void console_says(const std::string& text) { write(guest_console_, text); }
  void agent_says(const agent::GuestMessage& m) { write(guest_agent_, agent::encode(m) + "\n"); }
  void agent_says_raw(const std::string& bytes) { write(guest_agent_, bytes); }
  void exits(int code) {
    std::lock_guard lock(mutex_);
    exit_ = util::ExitStatus{code, std::nullopt};
    guest_console_.reset();
    guest_agent_.reset();
  }
  // Every line numalab wrote to the agent so far.
  std::vector<std::string> agent_heard() {
    std::lock_guard lock(mutex_);
    char buf[65536];
    ssize_t n;
    while (guest_agent_ && (n = ::read(guest_agent_.get(), buf, sizeof buf)) > 0) heard_.append(buf, n);
    std::vector<std::string> lines;
    for (std::size_t at = 0, nl; (nl = heard_.find('\n', at)) != std::string::npos; at = nl + 1)
      lines.push_back(heard_.substr(at, nl - at));
    return lines;
  }

  FakeQmp* qmp_transport = nullptr;
  std::atomic<int> stops{0};

 private:
  void write(util::UniqueFd& fd, const std::string& bytes) {
    std::lock_guard lock(mutex_);
    if (fd) {
      EXPECT_EQ(::write(fd.get(), bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    }
  }
  std::mutex mutex_;
  TimePoint started_;
  std::string name_;
  util::UniqueFd console_, guest_console_, agent_, guest_agent_;
  std::unique_ptr<launch::QmpClient> qmp_;
  std::optional<util::ExitStatus> exit_;
  std::string heard_;
};

// What the run stage holds: the launcher keeps the FakeVm itself alive, so that the test's
// scheduled guest actions stay safe after the run let go of the VM (they do nothing then).
class FakeVmHandle final : public launch::Vm {
 public:
  FakeVmHandle(std::shared_ptr<FakeVm> vm, std::shared_ptr<FakeVm::Census> census)
      : vm_(std::move(vm)), census_(std::move(census)) {
    census_->alive.fetch_add(1);
  }
  ~FakeVmHandle() override {
    census_->alive.fetch_sub(1);
    if (!vm_->exited()) census_->never_stopped.fetch_add(1);
  }
  int console_fd() const override { return vm_->console_fd(); }
  int agent_fd() const override { return vm_->agent_fd(); }
  int qmp_fd() const override { return vm_->qmp_fd(); }
  launch::QmpClient& qmp() override { return vm_->qmp(); }
  std::optional<util::ExitStatus> exited() override { return vm_->exited(); }
  TimePoint started_at() const override { return vm_->started_at(); }
  std::string describe() const override { return vm_->describe(); }
  std::string log_tail(std::size_t n) const override { return vm_->log_tail(n); }
  void stop() override { vm_->stop(); }

 private:
  std::shared_ptr<FakeVm> vm_;
  std::shared_ptr<FakeVm::Census> census_;
};

// Starts FakeVms and hands each to the test's script for its machine, with the fake clock.
class FakeLauncher final : public launch::Launcher {
 public:
  using Script = std::function<void(FakeVm& vm)>;
  explicit FakeLauncher(FakeClock& clock) : clock_(clock) {}
  util::Result<std::unique_ptr<launch::Vm>> start(const launch::VmSpec& spec,
                                                  const launch::VmPlace&) override {
    specs.push_back(spec);
    if (auto f = failures.find(spec.name); f != failures.end())
      return util::fail(util::ErrorKind::cannot_run, f->second);
    auto vm = std::make_shared<FakeVm>(clock_.now(), spec.name);
    all_.push_back(vm);
    vms[spec.name] = vm.get();
    if (auto s = scripts.find(spec.name); s != scripts.end()) s->second(*vm);
    return std::unique_ptr<launch::Vm>(std::make_unique<FakeVmHandle>(vm, census_));
  }
  // A restore starts a VM as start() does (the script plays its guest, which says no hello), unless
  // `restore_failures` names the machine.
  util::Result<std::unique_ptr<launch::Vm>> restore(const launch::VmSpec& spec, const launch::VmPlace& place,
                                                    const launch::StartupEntry& entry) override {
    restored.push_back({spec.name, entry.record.key});
    if (auto f = restore_failures.find(spec.name); f != restore_failures.end())
      return util::fail(util::ErrorKind::cannot_run, f->second);
    return start(spec, place);
  }
  std::map<std::string, Script> scripts;                      // by machine name
  std::map<std::string, std::string> failures;                // machines whose VM does not start, and why
  std::map<std::string, std::string> restore_failures;        // machines whose restore fails, and why
  std::vector<std::pair<std::string, std::string>> restored;  // (machine, entry key) of each restore
  std::map<std::string, FakeVm*> vms;                         // the latest VM of each machine
  std::vector<launch::VmSpec> specs;
  // VMs still there, or gone without being stopped.
  int left_running() const { return census_->alive.load() + census_->never_stopped.load(); }

 private:
  FakeClock& clock_;
  std::vector<std::shared_ptr<FakeVm>> all_;
  std::shared_ptr<FakeVm::Census> census_ = std::make_shared<FakeVm::Census>();
};

// Ctrl-C when the test says so.
class FakeStop final : public util::StopRequest {
 public:
  FakeStop() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  int fd() const override { return fd_.get(); }
  int signal() override { return signal_.load(); }
  void reset() {
    signal_.store(0);
    std::uint64_t n = 0;
    (void)!::read(fd_.get(), &n, sizeof n);
  }
  void request(int signal = SIGINT) {
    signal_.store(signal);
    const std::uint64_t one = 1;
    (void)!::write(fd_.get(), &one, sizeof one);
  }

 private:
  util::UniqueFd fd_;
  std::atomic<int> signal_{0};
};

// Every event, in order, and a hook that runs on each (e.g. to press Ctrl-C at a chosen moment).
class RecordingStatus final : public StatusSink {
 public:
  void on(const StatusEvent& e) override {
    events.push_back(e);
    if (hook) hook(e);
  }
  template <class T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const auto& e : events)
      if (const auto* v = std::get_if<T>(&e)) out.push_back(*v);
    return out;
  }
  std::vector<StatusEvent> events;
  std::function<void(const StatusEvent&)> hook;
};

// Records that evidence was taken; `hold` makes it wait (in real time, at most `hold_limit`) until
// released, as a memory dump does for minutes.
class FakeEvidence final : public capture::EvidenceTaker {
 public:
  struct Shared {
    std::atomic<int> taken{0};
    std::atomic<bool> hold{false};
    std::atomic<bool> cancelled_seen{false};
    std::chrono::milliseconds hold_limit{5000};
  };
  explicit FakeEvidence(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  void take(launch::Vm&, const std::filesystem::path&, result::Verdict,
            const capture::CaptureIo& io) override {
    const auto limit = std::chrono::steady_clock::now() + shared_->hold_limit;
    while (shared_->hold.load() && std::chrono::steady_clock::now() < limit) {
      if (io.cancelled()) {
        shared_->cancelled_seen.store(true);
        break;
      }
      std::this_thread::sleep_for(1ms);
    }
    shared_->taken.fetch_add(1);
  }

 private:
  std::shared_ptr<Shared> shared_;
};

// What a one-node guest says when its agent starts.
inline const agent::Hello k_hello = [] {
  agent::Hello h;
  h.kernel_release = "6.1.0-fake";
  h.topology = {{{0, {0}, 262144}}, {{10}}};
  return h;
}();

// A lab of one machine running topology-check.
inline std::string one_machine_lab(const std::string& name = "guest") {
  return "name = \"t\"\n[[machine]]\nname = \"" + name +
         "\"\n  [[machine.node]]\n  cpus = [0]\n  memory = \"256M\"\n"
         "[[workload]]\nname = \"topology-check\"\nmachine = \"" +
         name + "\"\n";
}

// What a run stage test gives the run: settings, the fake clock, VMs, Ctrl-C, status and evidence,
// and the store the run is written to.
struct FakeRunParts {
  RunSettings settings;
  FakeClock clock;
  FakeLauncher launcher{clock};
  FakeStop stop;
  RecordingStatus status;
  std::shared_ptr<FakeEvidence::Shared> evidence = std::make_shared<FakeEvidence::Shared>();
  std::unique_ptr<store::ResultsStore> store_;
};

}  // namespace numalab::run::testing
