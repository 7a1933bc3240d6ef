#include "workloads/numa_balancing/numa_balancing_worker_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace numalab::guest {

namespace {

constexpr std::size_t k_max_partial = sizeof(WorkerRecord);

std::expected<std::pair<util::UniqueFd, util::UniqueFd>, std::string> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return std::unexpected(std::string("pipe2: ") + std::strerror(errno));
  return std::pair{util::UniqueFd(fds[0]), util::UniqueFd(fds[1])};
}

double seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

std::string describe_status(std::size_t index, int status) {
  std::string who = "worker process " + std::to_string(index);
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return who + " was killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")" +
           (sig == SIGKILL ? "; out of memory? make `memory` smaller" : "");
  }
  return who + " exited with status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

std::expected<NumaWorkerPool, std::string> NumaWorkerPool::start(std::vector<WorkerSpec> specs) {
  NumaWorkerPool pool;
  for (auto& spec : specs) {
    auto control = make_pipe();
    if (!control) return std::unexpected(control.error());
    auto report = make_pipe();
    if (!report) return std::unexpected(report.error());
    spec.control_fd = control->first.get();
    spec.report_fd = report->second.get();
    pid_t pid = ::fork();
    if (pid < 0) return std::unexpected(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) run_worker_process(spec);
    WorkerProcess p;
    p.pid = pid;
    p.control = std::move(control->second);
    p.report = std::move(report->first);
    p.threads = spec.threads;
    p.tids.assign(spec.threads.size(), 0);
    ::fcntl(p.report.get(), F_SETFL, O_NONBLOCK);
    pool.processes_.push_back(std::move(p));
  }
  return pool;
}

NumaWorkerPool::~NumaWorkerPool() { kill_and_reap_all(); }

void NumaWorkerPool::handle(WorkerProcess& p, const WorkerRecord& r) {
  switch (static_cast<WorkerEvent>(r.event)) {
    case WorkerEvent::thread_started:
      if (r.index >= 0 && static_cast<std::size_t>(r.index) < p.tids.size())
        p.tids[static_cast<std::size_t>(r.index)] = static_cast<pid_t>(r.value);
      break;
    case WorkerEvent::touching:
      p.touching = true;
      break;
    case WorkerEvent::done:
      p.done = true;
      p.bytes_written = r.value > 0 ? static_cast<std::uint64_t>(r.value) : 0;
      break;
    case WorkerEvent::failed:
      if (p.failure.empty())
        p.failure = describe(static_cast<WorkerStep>(r.index)) +
                    " failed: " + std::strerror(static_cast<int>(r.value));
      break;
  }
}

void NumaWorkerPool::read_reports(WorkerProcess& p) {
  char buf[64 * sizeof(WorkerRecord)];
  for (;;) {
    ssize_t n = ::read(p.report.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return;  // EAGAIN: all read
    if (n == 0) {
      p.report_closed = true;
      return;
    }
    p.partial.append(buf, static_cast<std::size_t>(n));
    std::size_t whole = p.partial.size() / sizeof(WorkerRecord) * sizeof(WorkerRecord);
    for (std::size_t at = 0; at < whole; at += sizeof(WorkerRecord)) {
      WorkerRecord r;
      std::memcpy(&r, p.partial.data() + at, sizeof r);
      handle(p, r);
    }
    p.partial.erase(0, whole);
    if (p.partial.size() > k_max_partial) p.partial.clear();
  }
}

void NumaWorkerPool::pump_once(util::Deadline deadline) {
  std::vector<pollfd> fds;
  std::vector<WorkerProcess*> who;
  for (auto& p : processes_) {
    if (p.report_closed) continue;
    fds.push_back({p.report.get(), POLLIN, 0});
    who.push_back(&p);
  }
  if (fds.empty()) {
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::max(0, std::min(deadline.poll_timeout_ms(), 100))));
    return;
  }
  int n = ::poll(fds.data(), fds.size(), deadline.poll_timeout_ms());
  if (n <= 0) return;
  for (std::size_t i = 0; i < fds.size(); ++i)
    if (fds[i].revents != 0) read_reports(*who[i]);
}

bool NumaWorkerPool::all_touching() const {
  for (const auto& p : processes_)
    if (!p.touching) return false;
  return true;
}

bool NumaWorkerPool::all_done_or_gone() const {
  for (const auto& p : processes_)
    if (!p.done && !p.report_closed) return false;
  return true;
}

std::optional<std::string> NumaWorkerPool::broken_reason() const {
  for (std::size_t i = 0; i < processes_.size(); ++i) {
    const auto& p = processes_[i];
    if (!p.failure.empty()) return "worker process " + std::to_string(i) + ": " + p.failure;
    if (p.report_closed && !p.done && !stop_told_)
      return "worker process " + std::to_string(i) + " ended before it was told to stop";
  }
  return std::nullopt;
}

void NumaWorkerPool::tell_stop() {
  stop_told_ = true;
  for (auto& p : processes_) {
    char byte = 's';
    while (::write(p.control.get(), &byte, 1) < 0 && errno == EINTR) {
    }
  }
}

void NumaWorkerPool::reap(util::Deadline deadline) {
  for (;;) {
    bool waiting = false;
    for (auto& p : processes_) {
      if (p.reaped) continue;
      pid_t r = ::wait4(p.pid, &p.wait_status, WNOHANG, &p.usage);
      if (r == p.pid || (r < 0 && errno == ECHILD)) {
        p.reaped = true;
        if (p.report) read_reports(p);  // the last records
      } else {
        waiting = true;
      }
    }
    if (!waiting || deadline.expired()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill_and_reap_all();
}

void NumaWorkerPool::kill_and_reap_all() {
  for (auto& p : processes_) {
    if (p.reaped || p.pid <= 0) continue;
    ::kill(p.pid, SIGKILL);
    p.killed = true;
    while (::wait4(p.pid, &p.wait_status, 0, &p.usage) < 0 && errno == EINTR) {
    }
    p.reaped = true;
  }
}

std::optional<std::string> NumaWorkerPool::exit_problem() const {
  for (std::size_t i = 0; i < processes_.size(); ++i) {
    const auto& p = processes_[i];
    if (!p.reaped) return "worker process " + std::to_string(i) + " was not reaped";
    if (p.killed) return "worker process " + std::to_string(i) + " did not stop when told to; it was killed";
    if (!WIFEXITED(p.wait_status) || WEXITSTATUS(p.wait_status) != 0)
      return describe_status(i, p.wait_status);
  }
  return std::nullopt;
}

double NumaWorkerPool::user_s() const {
  double s = 0;
  for (const auto& p : processes_) s += seconds(p.usage.ru_utime);
  return s;
}

double NumaWorkerPool::system_s() const {
  double s = 0;
  for (const auto& p : processes_) s += seconds(p.usage.ru_stime);
  return s;
}

}  // namespace numalab::guest
