#pragma once
// The memory hog of the swap-nfs workload, a forked child (it only touches memory, makes system
// calls, writes to its report pipe and _exits). It maps `pages` anonymous pages and, for each of
// `passes` passes, writes the pattern of workload/swap_nfs/page_pattern.hpp into every page and then reads
// every page back and checks it; with more memory than the guest has, the pages make the round
// trip through swap. With `threads`, each thread takes its own slice of the pages through every
// pass: more tasks fault, and reclaim, at once. It reports through its pipe
// (workload/swap_nfs/swap_nfs_hog_report.hpp): its progress every k_hog_report_pages pages, every bad page
// (the first ones), and its phases. After the passes it waits for commands on its control pipe:
//   'r'  unmap every page past the first `keep_pages` (the agent then swaps off, which pulls the
//        kept pages back into memory), report phase released
//   'v'  check the kept pages again, report phase kept_verified and exit
// End of file on the control pipe makes it exit at once. Its oom_score_adj is 1000.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "common/forked_child.hpp"
#include "workload/swap_nfs/swap_nfs_hog_report.hpp"

namespace numalab::guest {

inline constexpr std::uint64_t k_hog_report_pages = 512;

struct SwapHogSpec {
  std::uint64_t pages = 0;
  std::uint64_t keep_pages = 0;
  std::uint32_t passes = 1;
  std::uint64_t seed = 0;
  std::uint32_t threads = 1;  // each takes its own slice of the pages through every pass
};

class SwapHog {
 public:
  static std::expected<SwapHog, std::string> start(const SwapHogSpec& spec);
  SwapHog() = default;
  SwapHog(SwapHog&& other) noexcept = default;
  SwapHog& operator=(SwapHog&& other) noexcept = default;  // the hog it held is killed first
  SwapHog(const SwapHog&) = delete;
  SwapHog& operator=(const SwapHog&) = delete;

  pid_t pid() const { return child_.pid(); }
  bool tell(char command) { return child_.tell(command); }
  // Waits up to `timeout` for records; returns those that came (possibly none). nullopt once the
  // report pipe is at end of file: the hog exited or was killed.
  std::optional<std::vector<workload::HogRecord>> read(std::chrono::milliseconds timeout);
  // Waits for the hog to exit (after its report pipe ended; k_kill_bound at most) and
  // reaps it: its wait status, or nullopt when it was not ours to reap or has not exited by then.
  std::optional<int> wait();
  // SIGKILL and reap (bounded: ForkedChild::kill_and_reap). Idempotent; the destructor does it too.
  void stop() { child_.kill_and_reap(); }

 private:
  ForkedChild child_;
  workload::HogReportReader reader_;
};

// "exited with 1", "killed by signal 9 (the OOM killer, if oom_kill moved)".
std::string describe_wait_status(int status);

}  // namespace numalab::guest
