#include "workloads/cpuset_churn/cpuset_churn_watch.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>

#include "init/console.hpp"
#include "init/power.hpp"
#include "workload/cpuset_churn/cpuset_churn_plan.hpp"
#include "workloads/cpuset_churn/cpuset_churn_evidence.hpp"

namespace numalab::guest {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto k_watch_tick = std::chrono::milliseconds(250);
constexpr std::uint64_t k_max_evidence = 3;  // suspected stalls with evidence; later ones get a line

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string whole_seconds(std::chrono::milliseconds d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
}

void tell(WorkloadContext& ctx, const std::string& what) {
  ctx.port.send(agent::Log{what});
  say(what);
  tell_kernel_log(what);
}

std::string where(const ChurnProgress& progress) {
  return std::string(progress.step.load()) + " (cgroup v" + std::to_string(progress.version.load()) + ")";
}

class ChurnWatcher {
 public:
  ChurnWatcher(WorkloadContext& ctx, ChurnProgress& progress, const ChurnWatchSetup& setup)
      : ctx_(ctx), progress_(progress), setup_(setup) {
    if (setup_.hog_chunks) hog_seen_ = setup_.hog_chunks->load();
  }

  ChurnWatchStats run() {
    while (!progress_.finished.load()) {
      std::this_thread::sleep_for(k_watch_tick);
      const auto now = Clock::now();
      stats_.watch_late_max_s = std::max(stats_.watch_late_max_s, seconds(now - woke_ - k_watch_tick));
      woke_ = now;
      watch_hog(now);
      if (now >= setup_.end) progress_.stop.store(true);
      watch_churn(now);
      sample(now);
    }
    return stats_;
  }

 private:
  void watch_hog(Clock::time_point now) {
    if (setup_.hog_chunks && setup_.hog_chunks->load() != hog_seen_) {
      hog_seen_ = setup_.hog_chunks->load();
      hog_moved_ = now;
    }
    stats_.hog_max_gap_s = std::max(stats_.hog_max_gap_s, seconds(now - hog_moved_));
  }

  void watch_churn(Clock::time_point now) {
    const auto last = Clock::time_point(std::chrono::nanoseconds(progress_.last_progress_ns.load()));
    if (progress_.finished.load()) return;
    if (suspected_ && last != suspected_last_) {
      char line[160];
      std::snprintf(line, sizeof line, "cpuset-churn: progress resumed after %.1f s without an iteration",
                    seconds(last - suspected_last_));
      tell(ctx_, line);
      suspected_ = false;
    }
    const auto state = workload::churn_stall(
        std::chrono::duration_cast<std::chrono::milliseconds>(now - last), setup_.stall_timeout);
    if (state == workload::ChurnStall::hang) stalled();
    if (state == workload::ChurnStall::suspected && !suspected_) {
      suspected_ = true;
      suspected_last_ = last;
      stats_.suspected_stalls++;
      const bool evidence = stats_.suspected_stalls <= k_max_evidence;
      tell(ctx_, "cpuset-churn: no iteration ended for " + whole_seconds(setup_.stall_timeout / 2) +
                     "; the churn thread is " + where(progress_) + (evidence ? "; evidence follows" : "") +
                     "; a hang after " + whole_seconds(setup_.stall_timeout) + " without one");
      if (evidence) dump_churn_stall_evidence(ctx_.root, progress_.tid.load(), hog_pid());
      woke_ = Clock::now();  // the dump's own second is not the guest keeping the watcher waiting
    }
  }

  // The evidence to the console, then silence, so the host says hang.
  [[noreturn]] void stalled() {
    const std::string what = "cpuset-churn: no iteration ended for " + whole_seconds(setup_.stall_timeout) +
                             "; the churn thread is stuck " + where(progress_);
    tell(ctx_, what);
    if (!is_init()) fatal(what);
    dump_churn_stall_evidence(ctx_.root, progress_.tid.load(), hog_pid());
    say("cpuset-churn: evidence dumped (sysrq-l, sysrq-w); stopping heartbeats so the host records a hang");
    ctx_.heartbeat.stop();
    idle_forever();
  }

  void sample(Clock::time_point now) {
    if (now < next_sample_) return;
    const std::uint64_t count = progress_.iterations.load();
    ctx_.port.send(agent::Sample{"cpuset-churn", "iterations_per_s", seconds(now - began_),
                                 static_cast<double>(count - last_count_)});
    last_count_ = count;
    next_sample_ += std::chrono::seconds(1);
  }

  pid_t hog_pid() const { return progress_.hog_pid.load(); }

  WorkloadContext& ctx_;
  ChurnProgress& progress_;
  const ChurnWatchSetup& setup_;
  ChurnWatchStats stats_;
  const Clock::time_point began_ = Clock::now();
  Clock::time_point next_sample_ = began_ + std::chrono::seconds(1);
  Clock::time_point woke_ = began_;
  Clock::time_point hog_moved_ = began_;
  std::uint64_t hog_seen_ = 0;
  std::uint64_t last_count_ = 0;
  bool suspected_ = false;
  Clock::time_point suspected_last_;
};

}  // namespace

ChurnWatchStats watch_churn(WorkloadContext& ctx, ChurnProgress& progress, const ChurnWatchSetup& setup) {
  return ChurnWatcher(ctx, progress, setup).run();
}

}  // namespace numalab::guest
