#include "workloads/numa_balancing/numa_balancing_worker.hpp"

#include <numaif.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <latch>
#include <system_error>
#include <thread>

namespace numalab::guest {

namespace {

constexpr std::size_t k_chunk_bytes = 2 * 1024 * 1024;  // the stop flag is checked this often

void report(int fd, WorkerEvent event, std::int64_t index, std::int64_t value) {
  WorkerRecord r{static_cast<std::int32_t>(event), static_cast<std::int32_t>(index), value};
  while (::write(fd, &r, sizeof r) < 0 && errno == EINTR) {
  }
}

[[noreturn]] void give_up(const WorkerSpec& spec, WorkerStep step, int err) {
  report(spec.report_fd, WorkerEvent::failed, static_cast<std::int32_t>(step), err);
  ::_exit(2);
}

// 0 or an errno.
int bind_cpus(const std::vector<int>& cpus) {
  if (cpus.empty()) return 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus)
    if (c >= 0 && c < CPU_SETSIZE) CPU_SET(c, &set);
  return ::sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : errno;
}

std::byte* slice_at(const WorkerSpec& spec, std::size_t s) { return spec.base + s * spec.slice_stride; }

// Writes the slice over and over until stop; returns the bytes written.
std::uint64_t write_until_stopped(std::byte* slice, std::size_t bytes, const std::atomic<bool>& stop) {
  std::uint64_t written = 0;
  for (unsigned pass = 0; !stop.load(std::memory_order_relaxed); ++pass) {
    for (std::size_t at = 0; at < bytes && !stop.load(std::memory_order_relaxed); at += k_chunk_bytes) {
      std::size_t n = std::min(k_chunk_bytes, bytes - at);
      std::memset(slice + at, static_cast<int>(pass & 0xff), n);
      written += n;
    }
  }
  return written;
}

void bind_memory(const WorkerSpec& spec) {
  for (const auto& t : spec.threads) {
    int node = t.placement.memory_node;
    if (node < 0) continue;
    if (node >= 64) give_up(spec, WorkerStep::node_id, EINVAL);
    unsigned long mask = 1UL << node;
    if (::mbind(slice_at(spec, t.slice), spec.slice_bytes, MPOL_BIND, &mask, 65, 0) != 0)
      give_up(spec, WorkerStep::mbind, errno);
  }
}

void first_touch(const WorkerSpec& spec) {
  if (int err = bind_cpus(spec.first_touch_cpus)) give_up(spec, WorkerStep::first_touch_affinity, err);
  for (std::size_t s = 0; s < spec.slices; ++s) std::memset(slice_at(spec, s), 1, spec.slice_bytes);
  if (!spec.first_touch_cpus.empty())
    if (int err = bind_cpus(spec.all_cpus)) give_up(spec, WorkerStep::first_touch_affinity, err);
}

void wait_for_stop(const WorkerSpec& spec) {
  pollfd p{spec.control_fd, POLLIN, 0};
  auto limit = std::chrono::steady_clock::now() + spec.give_up_after;
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(limit - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 60'000)));
    if (n > 0 || (n < 0 && errno != EINTR)) return;
  }
}

}  // namespace

std::string describe(WorkerStep step) {
  switch (step) {
    case WorkerStep::mbind:
      return "mbind(MPOL_BIND) of a slice";
    case WorkerStep::first_touch_affinity:
      return "sched_setaffinity for the first touch";
    case WorkerStep::thread_affinity:
      return "sched_setaffinity of a worker thread";
    case WorkerStep::thread_start:
      return "starting a worker thread";
    case WorkerStep::node_id:
      return "a node id above 63";
  }
  return "step " + std::to_string(static_cast<int>(step));
}

void run_worker_process(const WorkerSpec& spec) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  bind_memory(spec);
  first_touch(spec);

  const auto n = static_cast<std::ptrdiff_t>(spec.threads.size());
  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::atomic<std::uint64_t> written{0};
  std::latch ready(n + 1);
  std::vector<std::thread> threads;
  threads.reserve(spec.threads.size());
  for (std::size_t i = 0; i < spec.threads.size(); ++i) {
    try {
      threads.emplace_back([&, i] {
        const auto& t = spec.threads[i];
        const auto& first_cpus = t.placement.cpus.empty() ? t.start_cpus : t.placement.cpus;
        if (int err = bind_cpus(first_cpus)) {
          report(spec.report_fd, WorkerEvent::failed, static_cast<std::int32_t>(WorkerStep::thread_affinity),
                 err);
          failed = true;
        }
        report(spec.report_fd, WorkerEvent::thread_started, static_cast<std::int64_t>(i), ::gettid());
        ready.arrive_and_wait();
        if (failed) return;
        if (t.placement.cpus.empty() && !t.start_cpus.empty()) bind_cpus(spec.all_cpus);  // let go
        written += write_until_stopped(slice_at(spec, t.slice), spec.slice_bytes, stop);
      });
    } catch (const std::system_error& e) {
      report(spec.report_fd, WorkerEvent::failed, static_cast<std::int32_t>(WorkerStep::thread_start),
             e.code().value());
      failed = true;
      ready.count_down(n - static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  ready.arrive_and_wait();
  if (!failed) {
    report(spec.report_fd, WorkerEvent::touching, 0, 0);
    wait_for_stop(spec);
  }
  stop = true;
  for (auto& t : threads) t.join();
  report(spec.report_fd, WorkerEvent::done, 0, static_cast<std::int64_t>(written.load()));
  ::_exit(failed ? 2 : 0);
}

}  // namespace numalab::guest
