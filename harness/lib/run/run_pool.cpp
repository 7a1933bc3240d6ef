#include "run/run_pool.hpp"

#include <fmt/format.h>
#include <sched.h>

#include <algorithm>
#include <optional>

#include "run/active_run.hpp"
#include "util/file_contents.hpp"
#include "workload/common/meminfo.hpp"

namespace numalab::run {

using util::TimePoint;

namespace {

// Even with nothing to do the loop looks around this often (a VM may exit without a word).
constexpr auto k_longest_sleep = std::chrono::milliseconds(500);

enum class Stream { stop, console, agent, qmp, ending };

struct Polled {
  std::vector<pollfd> fds;
  std::vector<std::pair<MachineRun*, Stream>> owners;
  void add(int fd, MachineRun* m, Stream s) {
    if (fd < 0) return;
    fds.push_back({fd, POLLIN, 0});
    owners.emplace_back(m, s);
  }
};

void dispatch(MachineRun& m, Stream s, TimePoint now) {
  if (s == Stream::console) m.on_console(now);
  if (s == Stream::agent) m.on_agent(now);
  if (s == Stream::qmp) m.on_qmp(now);
}

std::string gib(std::uint64_t bytes) {
  return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1 << 30));
}

class Pool {
 public:
  Pool(std::span<const PoolJob> jobs, const PoolLimits& limits, const PoolHooks& hooks, const RunSettings& s,
       RunEnvironment& env)
      : jobs_(jobs), limits_(limits), hooks_(hooks), settings_(s), env_(env) {}

  util::Result<int> run() {
    for (;;) {
      if (!stopping()) start_due();
      store_finished(env_.clock.now());
      if (running_.empty() && (stopping() || next_ >= jobs_.size())) break;
      if (!running_.empty()) turn();
    }
    if (failed_) return std::unexpected(*failed_);
    return interrupted_by_;
  }

 private:
  struct Running {
    std::size_t job = 0;
    std::unique_ptr<ActiveRun> run;
    RunCost cost;
  };

  bool stopping() const { return interrupted_by_ != 0 || failed_.has_value(); }

  // The groups that fit, in order; the first that does not fit waits for runs to end.
  void start_due() {
    while (next_ < jobs_.size() && !stopping()) {
      if (const int signal = env_.stop.signal(); signal != 0) return interrupt(signal);
      if (hooks_.keep_starting && !hooks_.keep_starting()) {
        next_ = jobs_.size();
        return;
      }
      std::size_t end = next_ + 1;
      while (end < jobs_.size() && jobs_[end].group == jobs_[next_].group) ++end;
      RunCost cost, running_cost;
      for (std::size_t i = next_; i < end; ++i) cost = cost + cost_of(*jobs_[i].prepared);
      for (const auto& r : running_) running_cost = running_cost + r.cost;
      if (!fits(static_cast<int>(running_.size()), running_cost, static_cast<int>(end - next_), cost,
                limits_))
        return;
      for (; next_ < end && !stopping(); ++next_) start(next_);
    }
  }

  void start(std::size_t job) {
    if (hooks_.starting)
      if (auto ok = hooks_.starting(job); !ok) return fail(ok.error());
    // Pressed as the run was about to begin: it does not.
    if (const int signal = env_.stop.signal(); signal != 0) return interrupt(signal);
    auto run = ActiveRun::begin(*jobs_[job].lab, *jobs_[job].prepared, settings_, env_);
    if (!run) return fail(run.error());
    running_.push_back({job, std::move(*run), cost_of(*jobs_[job].prepared)});
  }

  // One wait for any machine's input, the stop request or the next deadline; then every run's turn.
  void turn() {
    Polled polled;
    if (interrupted_by_ == 0) polled.add(env_.stop.fd(), nullptr, Stream::stop);
    TimePoint next = env_.clock.now() + k_longest_sleep;
    for (const auto& r : running_) {
      next = std::min(next, r.run->next_deadline());
      for (const auto& m : r.run->machines()) {
        if (m->finished()) continue;
        const auto s = m->streams();
        polled.add(s.console, m.get(), Stream::console);
        polled.add(s.agent, m.get(), Stream::agent);
        polled.add(s.qmp, m.get(), Stream::qmp);
        polled.add(s.ending, m.get(), Stream::ending);
      }
    }
    env_.clock.wait(polled.fds, next);
    const auto now = env_.clock.now();
    if (interrupted_by_ == 0 && env_.stop.requested()) return interrupt(env_.stop.signal());
    for (std::size_t i = 0; i < polled.fds.size(); ++i)
      if (polled.fds[i].revents != 0 && polled.owners[i].first != nullptr)
        dispatch(*polled.owners[i].first, polled.owners[i].second, now);
    for (auto& r : running_) r.run->on_time(now);
  }

  void store_finished(TimePoint now) {
    for (auto it = running_.begin(); it != running_.end();) {
      if (!it->run->finished()) {
        ++it;
        continue;
      }
      auto outcome = it->run->store(env_, now);
      if (!outcome)
        fail(outcome.error());
      else if (hooks_.ended && !failed_)
        if (auto ok = hooks_.ended(it->job, *outcome); !ok) fail(ok.error());
      it = running_.erase(it);
    }
  }

  // Ctrl-C: starts nothing more; the runs under way end with verdict error and are stored.
  void interrupt(int signal) {
    interrupted_by_ = signal;
    if (running_.empty()) return;
    env_.status.on(RunInterrupted{signal});
    const auto now = env_.clock.now();
    for (auto& r : running_) r.run->interrupt(signal, now);
  }

  // Starts nothing more; the runs under way end with verdict error, saying why, and are stored.
  void fail(const util::Error& error) {
    if (failed_) return;
    failed_ = error;
    const auto now = env_.clock.now();
    for (auto& r : running_)
      if (!r.run->finished()) r.run->abort("numalab stopped: " + error.message, now);
  }

  std::span<const PoolJob> jobs_;
  const PoolLimits& limits_;
  const PoolHooks& hooks_;
  const RunSettings& settings_;
  RunEnvironment& env_;
  std::size_t next_ = 0;
  std::vector<Running> running_;
  int interrupted_by_ = 0;
  std::optional<util::Error> failed_;
};

}  // namespace

RunCost operator+(RunCost a, RunCost b) { return {a.vcpus + b.vcpus, a.memory_bytes + b.memory_bytes}; }

RunCost cost_of(const PreparedRun& prepared) {
  RunCost c;
  for (const auto& p : prepared.machines) {
    c.vcpus += p.machine->cpu_count();
    c.memory_bytes += p.machine->memory_bytes() + k_qemu_overhead_bytes;
  }
  return c;
}

HostCapacity host_capacity() {
  HostCapacity host;
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) == 0) host.cores = std::max(1, CPU_COUNT(&set));
  const auto meminfo = util::read_file("/proc/meminfo", 1 << 20);
  const auto kb = meminfo ? workload::meminfo_kb(*meminfo, "MemAvailable")
                          : std::expected<std::uint64_t, std::string>(std::unexpected("unreadable"));
  if (kb) {
    const std::uint64_t available = *kb * 1024;
    const std::uint64_t margin = std::max<std::uint64_t>(1ULL << 30, available / 10);
    host.memory_bytes = available > margin ? available - margin : 0;
  }
  return host;
}

bool fits(int running, RunCost running_cost, int next, RunCost next_cost, const PoolLimits& limits) {
  if (running == 0) return true;
  if (limits.jobs > 0 && running + next > limits.jobs) return false;
  if (limits.oversubscribe) return true;
  const auto total = running_cost + next_cost;
  return total.vcpus <= limits.host.cores && total.memory_bytes <= limits.host.memory_bytes;
}

std::string why_not_side_by_side(int runs, RunCost cost, const PoolLimits& limits) {
  if (limits.jobs > 0 && runs > limits.jobs)
    return fmt::format("--jobs {} is fewer than {} runs", limits.jobs, runs);
  if (limits.oversubscribe) return "";
  if (cost.vcpus > limits.host.cores)
    return fmt::format(
        "{} runs need {} vCPU threads and this host has {} core{} (--oversubscribe runs them anyway)", runs,
        cost.vcpus, limits.host.cores, limits.host.cores == 1 ? "" : "s");
  if (cost.memory_bytes > limits.host.memory_bytes)
    return fmt::format("{} runs need {} of memory and this host has {} free beyond its margin", runs,
                       gib(cost.memory_bytes), gib(limits.host.memory_bytes));
  return "";
}

util::Result<int> run_pool(std::span<const PoolJob> jobs, const PoolLimits& limits, const PoolHooks& hooks,
                           const RunSettings& s, RunEnvironment& env) {
  return Pool(jobs, limits, hooks, s, env).run();
}

}  // namespace numalab::run
