#include "workloads/cpuset_churn/cpuset_churn_processes.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <new>

#include "common/cpuset_fs.hpp"
#include "util/deadline.hpp"

namespace numalab::guest {

namespace {

constexpr std::size_t k_chunk_bytes = 2 << 20;
constexpr int k_hog_cycle_ms = 50;   // one chunk unmapped and mapped again this often
constexpr int k_task_touch_ms = 10;  // a long-lived churn task touches its pages this often

std::size_t page_bytes() { return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)); }

void touch(void* p, std::size_t bytes) {
  auto* b = static_cast<volatile unsigned char*>(p);
  for (std::size_t i = 0; i < bytes; i += page_bytes()) b[i] = static_cast<unsigned char>(b[i] + 1);
}

void* map_touched(std::size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  ::madvise(p, bytes, MADV_NOHUGEPAGE);  // base pages: more allocations, as pressure wants
  touch(p, bytes);
  return p;
}

// Something (a byte, or end of file) arrived on fd within timeout_ms.
bool poked(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) > 0;
}

// The child's own score, before it allocates anything: it inherited the agent's -1000.
void raise_own_oom_score(const char* value) {
  int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  if (::write(fd, value, std::strlen(value)) < 0) {
  }
  ::close(fd);
}

void count(std::atomic<std::uint64_t>* chunks) {
  if (chunks != nullptr) chunks->fetch_add(1, std::memory_order_relaxed);
}

[[noreturn]] void run_hog(std::size_t bytes, std::atomic<std::uint64_t>* chunks, int control, int report) {
  ::prctl(PR_SET_NAME, "numalab-hog");  // not "init" in the OOM killer's report
  raise_own_oom_score("1000");
  std::size_t n = std::max<std::size_t>(1, bytes / k_chunk_bytes);
  auto** held = static_cast<void**>(
      ::mmap(nullptr, n * sizeof(void*), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  if (held == MAP_FAILED) ::_exit(1);
  std::size_t have = 0;
  while (have < n && (held[have] = map_touched(k_chunk_bytes)) != nullptr) {
    ++have;
    count(chunks);
  }
  if (have == 0 || ::write(report, "r", 1) != 1) ::_exit(1);
  for (std::size_t oldest = 0;; oldest = (oldest + 1) % have) {
    if (poked(control, k_hog_cycle_ms)) ::_exit(0);
    ::munmap(held[oldest], k_chunk_bytes);
    while ((held[oldest] = map_touched(k_chunk_bytes)) == nullptr)
      if (poked(control, k_hog_cycle_ms)) ::_exit(0);
    count(chunks);
  }
}

[[noreturn]] void run_task(std::size_t pages, bool short_lived, int control, int report) {
  ::prctl(PR_SET_NAME, short_lived ? "numalab-brief" : "numalab-churn");
  raise_own_oom_score("500");
  const std::size_t bytes = pages * page_bytes();
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) ::_exit(1);
  if (short_lived) {
    char c;
    if (::read(control, &c, 1) == 1) touch(p, bytes);
    ::_exit(0);
  }
  touch(p, bytes);
  if (::write(report, "r", 1) != 1) ::_exit(1);
  while (!poked(control, k_task_touch_ms)) touch(p, bytes);
  ::_exit(0);
}

}  // namespace

std::expected<void, std::string> set_oom_score_adj(pid_t pid, int value) {
  std::string path =
      pid == 0 ? "/proc/self/oom_score_adj" : "/proc/" + std::to_string(pid) + "/oom_score_adj";
  return write_kernel_file(path, std::to_string(value));
}

bool wait_byte(ForkedChild& child, std::chrono::milliseconds timeout) {
  char c;
  return child.read_report(&c, 1, util::Deadline::after(timeout)).kind == ReportRead::whole;
}

static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "the counter is shared between processes");

SharedCounter::SharedCounter() {
  void* p = ::mmap(nullptr, sizeof(std::atomic<std::uint64_t>), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p != MAP_FAILED) value_ = new (p) std::atomic<std::uint64_t>(0);
}

SharedCounter::~SharedCounter() {
  if (value_ != nullptr) ::munmap(value_, sizeof(std::atomic<std::uint64_t>));
}

std::expected<ForkedChild, std::string> start_memory_hog(std::size_t bytes,
                                                         std::atomic<std::uint64_t>* chunks) {
  return ForkedChild::start(
      [bytes, chunks](int control, int report) { run_hog(bytes, chunks, control, report); });
}

std::expected<ForkedChild, std::string> start_churn_task(std::size_t pages, bool short_lived) {
  return ForkedChild::start([=](int control, int report) { run_task(pages, short_lived, control, report); });
}

}  // namespace numalab::guest
