#include "workloads/swap_nfs/swap_nfs_hog.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <span>
#include <system_error>
#include <thread>
#include <vector>

#include "workload/swap_nfs/page_pattern.hpp"

namespace numalab::guest {

namespace {

using workload::HogEvent;
using workload::HogPhase;
using workload::HogRecord;

// The child's state; it lives on the child's stack. Its threads each take a slice of the pages;
// the counters are shared, and a report is written whole under the lock, so the progress records
// in the pipe never go backwards.
struct HogChild {
  HogChild(const SwapHogSpec& s, int report_fd, std::size_t page_bytes)
      : spec(s), report(report_fd), page_size(page_bytes) {}

  const SwapHogSpec& spec;
  int report;
  std::size_t page_size;
  std::uint64_t* base = nullptr;
  std::mutex report_lock;
  std::atomic<std::uint64_t> written{0}, verified{0}, bad{0}, reported_bad{0};

  void send(HogEvent event, std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0) {
    HogRecord r{static_cast<std::uint32_t>(event), 0, a, b, c};
    while (::write(report, &r, sizeof r) < 0 && errno == EINTR) {
    }
  }
  void progress() {
    std::lock_guard lock(report_lock);
    send(HogEvent::progress, written.load(), verified.load(), bad.load());
  }
  void phase(HogPhase p) {
    std::lock_guard lock(report_lock);
    send(HogEvent::phase, static_cast<std::uint64_t>(p));
  }
  void count(std::atomic<std::uint64_t>& counter) {
    if (counter.fetch_add(1) % k_hog_report_pages == k_hog_report_pages - 1) progress();
  }

  std::span<std::uint64_t> page(std::uint64_t i) {
    const std::size_t words = page_size / sizeof(std::uint64_t);
    return {base + i * words, words};
  }
  workload::PageStamp stamp(std::uint64_t i, std::uint32_t pass) const { return {i, spec.seed, pass}; }

  void check(std::uint64_t i, std::uint32_t pass) {
    if (auto at = workload::first_bad_byte(page(i), stamp(i, pass))) {
      bad.fetch_add(1);
      if (reported_bad.fetch_add(1) < workload::k_max_reported_bad_pages) {
        std::lock_guard lock(report_lock);
        send(HogEvent::bad_page, i, *at, pass);
      }
    }
    count(verified);
  }
  void write_pass(std::uint64_t first, std::uint64_t last, std::uint32_t pass) {
    for (std::uint64_t i = first; i < last; ++i) {
      workload::fill_page(page(i), stamp(i, pass));
      count(written);
    }
  }
  void verify(std::uint64_t first, std::uint64_t last, std::uint32_t pass) {
    for (std::uint64_t i = first; i < last; ++i) check(i, pass);
  }
  // Every pass over the pages [first, last).
  void passes(std::uint64_t first, std::uint64_t last) {
    for (std::uint32_t pass = 0; pass < spec.passes; ++pass) {
      write_pass(first, last, pass);
      verify(first, last, pass);
    }
  }
  // The passes on `threads` threads, each over its own slice of the pages (a slice whose thread
  // cannot be started is done by this one).
  void passes_on_threads(std::uint32_t threads) {
    std::vector<std::thread> workers;
    const std::uint64_t slice = (spec.pages + threads - 1) / threads;
    for (std::uint64_t first = slice; first < spec.pages; first += slice) {
      const std::uint64_t last = std::min(spec.pages, first + slice);
      try {
        workers.emplace_back([this, first, last] { passes(first, last); });
      } catch (const std::system_error&) {
        passes(first, last);
      }
    }
    passes(0, std::min(spec.pages, slice));
    for (auto& w : workers) w.join();
    progress();
  }
};

// The next command byte; 0 at end of file.
char command(int control) {
  char c = 0;
  for (;;) {
    ssize_t n = ::read(control, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    return n == 1 ? c : '\0';
  }
}

[[noreturn]] void run_child(const SwapHogSpec& spec, int control, int report) {
  ::prctl(PR_SET_NAME, "numalab-swaphog");
  int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);  // it inherited the agent's
  if (fd >= 0) {
    if (::write(fd, "1000", 4) < 0) {
    }
    ::close(fd);
  }
  HogChild hog{spec, report, static_cast<std::size_t>(::sysconf(_SC_PAGESIZE))};
  const std::size_t bytes = spec.pages * hog.page_size;
  void* p =
      ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) ::_exit(2);
  ::madvise(p, bytes, MADV_NOHUGEPAGE);  // base pages: each one makes its own trip through swap
  hog.base = static_cast<std::uint64_t*>(p);
  hog.passes_on_threads(spec.threads);
  hog.phase(HogPhase::passes_done);
  if (command(control) != 'r') ::_exit(0);
  if (spec.keep_pages < spec.pages)
    ::munmap(hog.page(spec.keep_pages).data(), (spec.pages - spec.keep_pages) * hog.page_size);
  hog.phase(HogPhase::released);
  if (command(control) != 'v') ::_exit(0);
  hog.verify(0, spec.keep_pages, spec.passes - 1);
  hog.progress();
  hog.phase(HogPhase::kept_verified);
  ::_exit(0);
}

}  // namespace

std::expected<SwapHog, std::string> SwapHog::start(const SwapHogSpec& spec) {
  if (spec.pages == 0 || spec.passes == 0 || spec.threads == 0 || spec.keep_pages > spec.pages)
    return std::unexpected("a hog needs pages, passes, a thread, and no more kept pages than pages");
  auto forked = ForkedChild::start([spec](int control, int report) { run_child(spec, control, report); });
  if (!forked) return std::unexpected(forked.error());
  SwapHog hog;
  hog.child_ = std::move(*forked);
  return hog;
}

std::optional<std::vector<workload::HogRecord>> SwapHog::read(std::chrono::milliseconds timeout) {
  if (child_.report_fd() < 0) return std::nullopt;
  pollfd p{child_.report_fd(), POLLIN, 0};
  int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return std::vector<workload::HogRecord>{};  // timeout, or EINTR: nothing yet
  std::uint8_t buffer[4096];
  ssize_t n = ::read(child_.report_fd(), buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return std::vector<workload::HogRecord>{};
  if (n <= 0) {
    child_.close_report();
    return std::nullopt;
  }
  return reader_.feed({buffer, static_cast<std::size_t>(n)});
}

std::optional<int> SwapHog::wait() {
  auto end = child_.wait(util::Deadline::after(k_kill_bound));
  if (!end) return std::nullopt;
  return end->wait_status;  // nullopt: reaped elsewhere (the workload holds a ChildReapingPause)
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    std::string s = "killed by signal " + std::to_string(WTERMSIG(status));
    if (WTERMSIG(status) == SIGKILL) s += " (the OOM killer?)";
    return s;
  }
  return "wait status " + std::to_string(status);
}

}  // namespace numalab::guest
