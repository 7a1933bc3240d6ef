#include "workloads/page_migration/page_migration_worker.hpp"

#include <numaif.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "util/deadline.hpp"

namespace numalab::guest {

namespace {

// What failed while placing, sent in one write(2) on the report pipe; step 0 is success.
struct PlacementReport {
  std::int32_t step = 0;
  std::int32_t err = 0;
};

enum PlacementStep : std::int32_t { k_placed = 0, k_mbind, k_affinity, k_thread_start, k_node_id };

std::string describe_step(std::int32_t step) {
  switch (step) {
    case k_mbind:
      return "mbind(MPOL_BIND) of a CPU-less node's slice";
    case k_affinity:
      return "sched_setaffinity of a first-touch thread";
    case k_thread_start:
      return "starting a first-touch thread";
    case k_node_id:
      return "a node id above 63";
    default:
      return "step " + std::to_string(step);
  }
}

// The first failure of any thread wins.
class FirstFailure {
 public:
  void record(std::int32_t step, int err) {
    std::lock_guard lock(mutex_);
    if (report_.step == k_placed) report_ = {step, err};
  }
  PlacementReport get() {
    std::lock_guard lock(mutex_);
    return report_;
  }

 private:
  std::mutex mutex_;
  PlacementReport report_;
};

void touch_slice(std::byte* slice, std::size_t bytes, std::size_t page_bytes) {
  for (std::size_t at = 0; at < bytes; at += page_bytes) *reinterpret_cast<volatile char*>(slice + at) = 1;
}

void place_slice(const workload::FirstTouchThread& t, std::byte* slice, std::size_t bytes,
                 std::size_t page_bytes, FirstFailure& failure) {
  if (t.node < 0 || t.node >= 64) return failure.record(k_node_id, EINVAL);
  if (t.cpu < 0) {
    unsigned long mask = 1UL << t.node;
    if (::mbind(slice, bytes, MPOL_BIND, &mask, 65, 0) != 0) return failure.record(k_mbind, errno);
  } else {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(t.cpu, &set);
    if (::sched_setaffinity(0, sizeof set, &set) != 0) return failure.record(k_affinity, errno);
  }
  touch_slice(slice, bytes, page_bytes);
}

[[noreturn]] void run_worker(const std::vector<workload::FirstTouchThread>& threads, std::byte* base,
                             std::size_t slice_bytes, std::size_t page_bytes, int report_fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  FirstFailure failure;
  std::vector<std::thread> running;
  for (std::size_t i = 0; i < threads.size(); ++i) {
    try {
      running.emplace_back(place_slice, std::cref(threads[i]), base + i * slice_bytes, slice_bytes,
                           page_bytes, std::ref(failure));
    } catch (const std::system_error& e) {
      failure.record(k_thread_start, e.code().value());
      break;
    }
  }
  for (auto& t : running) t.join();
  PlacementReport report = failure.get();
  while (::write(report_fd, &report, sizeof report) < 0 && errno == EINTR) {
  }
  for (;;) ::pause();  // placed: wait to be moved, and killed
}

// The report, or an error when the worker fails, dies or is too slow.
std::expected<void, std::string> await_placement(ForkedChild& worker, std::chrono::milliseconds limit) {
  PlacementReport report;
  const ReportRead read = worker.read_report(&report, sizeof report, util::Deadline::after(limit));
  switch (read.kind) {
    case ReportRead::whole:
      break;
    case ReportRead::timed_out:
      return std::unexpected("the worker did not place its memory within " + std::to_string(limit.count()) +
                             " ms");
    case ReportRead::failed:
      return std::unexpected(std::string("poll on the worker's pipe: ") + std::strerror(read.error));
    case ReportRead::ended:
      return std::unexpected("the worker died while placing its memory");
  }
  if (report.step != k_placed)
    return std::unexpected("the worker could not place its memory: " + describe_step(report.step) + ": " +
                           std::strerror(report.err));
  return {};
}

}  // namespace

std::expected<FirstTouchWorker, std::string> FirstTouchWorker::start(
    const std::vector<workload::FirstTouchThread>& threads, std::size_t slice_bytes,
    std::chrono::milliseconds limit) {
  const auto page_bytes = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t bytes = slice_bytes * threads.size();
  if (bytes == 0 || slice_bytes % page_bytes != 0) return std::unexpected("the buffer must be whole pages");
  void* mapping =
      ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mapping == MAP_FAILED)
    return std::unexpected(std::string("mmap of the buffer: ") + std::strerror(errno));
  auto* base = static_cast<std::byte*>(mapping);
  // Without THP the kernel maps no huge page, and each 4 KiB page is placed and moved alone.
  if (::madvise(mapping, bytes, MADV_NOHUGEPAGE) != 0 && errno != EINVAL) {
    int err = errno;
    ::munmap(mapping, bytes);
    return std::unexpected(std::string("madvise(MADV_NOHUGEPAGE): ") + std::strerror(err));
  }

  FirstTouchWorker worker;
  for (std::size_t at = 0; at < bytes; at += page_bytes) {
    worker.pages_.push_back(base + at);
    worker.placed_nodes_.push_back(threads[at / slice_bytes].node);
  }
  auto process = ForkedChild::start(
      [&](int, int report_fd) { run_worker(threads, base, slice_bytes, page_bytes, report_fd); });
  ::munmap(mapping, bytes);  // the agent never touched it: the worker's pages are its alone
  if (!process) return std::unexpected(process.error());
  worker.process_ = std::move(*process);
  if (auto placed = await_placement(worker.process_, limit); !placed) return std::unexpected(placed.error());
  return worker;
}

}  // namespace numalab::guest
