#include "workloads/page_migration/page_migration_worker.hpp"

#include <fcntl.h>
#include <numaif.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

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

class ReportPipe {
 public:
  ReportPipe() { ok_ = ::pipe2(fds_, O_CLOEXEC) == 0; }
  ~ReportPipe() {
    close_end(0);
    close_end(1);
  }
  ReportPipe(const ReportPipe&) = delete;
  ReportPipe& operator=(const ReportPipe&) = delete;
  bool ok() const { return ok_; }
  int read_end() const { return fds_[0]; }
  int write_end() const { return fds_[1]; }
  void close_end(int which) {
    if (fds_[which] >= 0) ::close(fds_[which]);
    fds_[which] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
  bool ok_ = false;
};

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
std::expected<void, std::string> await_placement(int fd, std::chrono::milliseconds limit) {
  pollfd p{fd, POLLIN, 0};
  auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return std::unexpected("the worker did not place its memory within " + std::to_string(limit.count()) +
                             " ms");
    int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n > 0) break;
    if (n < 0 && errno != EINTR)
      return std::unexpected(std::string("poll on the worker's pipe: ") + std::strerror(errno));
  }
  PlacementReport report;
  ssize_t got;
  while ((got = ::read(fd, &report, sizeof report)) < 0 && errno == EINTR) {
  }
  if (got != static_cast<ssize_t>(sizeof report))
    return std::unexpected("the worker died while placing its memory");
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
  ReportPipe pipe;
  if (!pipe.ok()) {
    ::munmap(mapping, bytes);
    return std::unexpected(std::string("pipe2: ") + std::strerror(errno));
  }
  worker.pid_ = ::fork();
  if (worker.pid_ == 0) run_worker(threads, base, slice_bytes, page_bytes, pipe.write_end());
  int fork_errno = errno;
  ::munmap(mapping, bytes);  // the agent never touched it: the worker's pages are its alone
  if (worker.pid_ < 0) return std::unexpected(std::string("fork: ") + std::strerror(fork_errno));
  pipe.close_end(1);
  if (auto placed = await_placement(pipe.read_end(), limit); !placed) return std::unexpected(placed.error());
  return worker;
}

FirstTouchWorker::FirstTouchWorker(FirstTouchWorker&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)),
      pages_(std::move(o.pages_)),
      placed_nodes_(std::move(o.placed_nodes_)) {}

FirstTouchWorker::~FirstTouchWorker() { end(); }

void FirstTouchWorker::end() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

}  // namespace numalab::guest
