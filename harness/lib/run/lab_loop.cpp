#include "run/lab_loop.hpp"

#include <cstring>
#include <optional>

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

void interrupt_all(const LabLoop& loop, int signal, TimePoint now) {
  loop.status.on(RunInterrupted{signal});
  const std::string why = std::string("numalab was interrupted (") + ::strsignal(signal) + ")";
  for (auto& m : loop.machines) m->abort(result::Verdict::error, why, now);
}

}  // namespace

int run_lab_loop(const LabLoop& loop) {
  int interrupted_by = 0;
  std::optional<TimePoint> workloads_started;
  for (;;) {
    Polled polled;
    if (interrupted_by == 0) polled.add(loop.stop.fd(), nullptr, Stream::stop);
    TimePoint next = TimePoint::max();
    bool any = false;
    for (auto& m : loop.machines) {
      if (m->finished()) continue;
      any = true;
      next = std::min(next, m->next_deadline());
      const auto s = m->streams();
      polled.add(s.console, m.get(), Stream::console);
      polled.add(s.agent, m.get(), Stream::agent);
      polled.add(s.qmp, m.get(), Stream::qmp);
      polled.add(s.ending, m.get(), Stream::ending);
    }
    if (!any) break;
    next = std::min({next, loop.faults.next_deadline(), loop.clock.now() + k_longest_sleep});
    loop.clock.wait(polled.fds, next);
    const auto now = loop.clock.now();
    if (interrupted_by == 0 && loop.stop.requested()) {
      interrupted_by = loop.stop.signal();
      interrupt_all(loop, interrupted_by, now);
      continue;
    }
    for (std::size_t i = 0; i < polled.fds.size(); ++i)
      if (polled.fds[i].revents != 0 && polled.owners[i].first != nullptr)
        dispatch(*polled.owners[i].first, polled.owners[i].second, now);
    loop.gate.on_time(now);
    if (!workloads_started && loop.gate.all_started()) workloads_started = now;
    loop.faults.on_time(workloads_started, now);
    for (auto& m : loop.machines)
      if (!m->finished()) m->on_time(now);
  }
  return interrupted_by;
}

}  // namespace numalab::run
