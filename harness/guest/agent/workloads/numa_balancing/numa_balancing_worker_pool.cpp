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
    auto process = ForkedChild::start([&spec](int control_fd, int report_fd) {
      spec.control_fd = control_fd;
      spec.report_fd = report_fd;
      run_worker_process(spec);
    });
    if (!process) return std::unexpected(process.error());
    WorkerProcess p;
    p.process = std::move(*process);
    p.threads = spec.threads;
    p.tids.assign(spec.threads.size(), 0);
    ::fcntl(p.process.report_fd(), F_SETFL, O_NONBLOCK);
    pool.processes_.push_back(std::move(p));
  }
  return pool;
}

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
    ssize_t n = ::read(p.process.report_fd(), buf, sizeof buf);
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
    fds.push_back({p.process.report_fd(), POLLIN, 0});
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
  for (auto& p : processes_) p.process.tell('s');
}

void NumaWorkerPool::reap(util::Deadline deadline) {
  for (auto& p : processes_) {
    if (p.reaped) continue;
    if (auto end = p.process.wait(deadline)) {
      record_end(p, *end);
      read_reports(p);  // the last records
    }
  }
  kill_and_reap_all();
}

void NumaWorkerPool::kill_and_reap_all() {
  for (auto& p : processes_) {
    if (p.reaped) continue;
    p.killed = true;
    if (auto end = p.process.kill_and_reap()) record_end(p, *end);
  }
}

void NumaWorkerPool::record_end(WorkerProcess& p, const ChildEnd& end) {
  p.reaped = true;
  p.wait_status = end.wait_status.value_or(0);  // lost: reaped elsewhere, nothing to say
  p.usage = end.usage;
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
