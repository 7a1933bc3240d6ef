#include "workloads/cpuset_churn/cpuset_churn_loop.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "util/deadline.hpp"
#include "workload/cpuset_churn/cpuset_churn_plan.hpp"

namespace numalab::guest {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t k_long_lived_tasks = 2;
constexpr std::size_t k_long_lived_pages = 256;
constexpr std::size_t k_short_lived_pages = 64;
constexpr std::size_t k_cpuset_names = 4;
constexpr auto k_task_wait = std::chrono::seconds(60);  // the watcher calls a stall long before
constexpr const char* k_release_agent = "/bin/true";    // busybox, in every numalab image

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// A sign of progress: an iteration ended (or the churn began or changed interface).
void mark_progress(ChurnProgress& progress) {
  const std::int64_t now = now_ns();
  const double gap = static_cast<double>(now - progress.last_progress_ns.load()) / 1e9;
  progress.max_gap_s = std::max(progress.max_gap_s, gap);
  progress.last_progress_ns.store(now);
}

class Churner {
 public:
  Churner(const ChurnSetup& setup, ChurnProgress& progress, CpusetHierarchy& h)
      : setup_(setup), progress_(progress), h_(h), mems_(workload::churn_mems(setup.memory_nodes)) {}

  std::expected<void, std::string> start_tasks() {
    for (std::size_t i = 0; i < k_long_lived_tasks; ++i) {
      auto t = start_churn_task(k_long_lived_pages, false);
      if (!t) return std::unexpected(t.error());
      if (!wait_byte(*t, k_task_wait)) return std::unexpected("a churn task did not start");
      tasks_.push_back(std::move(*t));
    }
    return {};
  }

  std::expected<void, std::string> iteration(std::uint64_t i) {
    const std::string name = "numalab-churn-" + std::to_string(i % k_cpuset_names);
    const auto& a = mems_[i % mems_.size()];
    const auto& b = mems_[(i + 1) % mems_.size()];
    step("creating a cpuset");
    if (auto c = h_.create(name, a); !c) return c;
    if (h_.version() == CgroupVersion::v1) {
      step("setting notify_on_release");
      if (auto f = h_.set_flag(name, "notify_on_release", true); !f) return f;
    }
    step("moving tasks into a cpuset");
    for (auto& t : tasks_)
      if (auto m = attach(name, t); !m) return m;
    step("starting a short-lived task");
    auto brief = start_churn_task(k_short_lived_pages, true);
    if (!brief) return std::unexpected(brief.error());
    if (auto m = attach(name, *brief); !m) return m;
    brief->tell('g');
    step("changing a cpuset's mems");
    if (auto s = h_.set_mems(name, b); !s) return s;
    step("moving tasks back to the root cpuset");
    for (auto& t : tasks_)
      if (auto m = attach("", t); !m) return m;
    step("waiting for a short-lived task to exit");
    if (!brief->wait(util::Deadline::after(k_task_wait)))
      return std::unexpected("a short-lived churn task did not exit");
    step("removing a cpuset");
    if (auto r = h_.remove(name); !r) return r;
    step("checking the memory hog");
    if (setup_.hog && !setup_.hog->running()) {
      progress_.hog_restarts++;
      auto hog = start_memory_hog(setup_.hog_bytes, setup_.hog_chunks);
      if (hog) *setup_.hog = std::move(*hog);
      progress_.hog_pid.store(setup_.hog->running() ? setup_.hog->pid() : 0);
    }
    step("restarting killed churn tasks");
    return restart_killed_tasks();
  }

 private:
  // A task the OOM killer took cannot be moved (ESRCH): not the workload's failure.
  std::expected<void, std::string> attach(const std::string& name, ForkedChild& task) {
    auto a = h_.attach(name, task.pid());
    if (!a && !task.running()) return {};
    return a;
  }

  std::expected<void, std::string> restart_killed_tasks() {
    for (auto& t : tasks_) {
      if (t.running()) continue;
      progress_.task_restarts++;
      auto fresh = start_churn_task(k_long_lived_pages, false);
      if (!fresh) return std::unexpected(fresh.error());
      if (!wait_byte(*fresh, k_task_wait)) return std::unexpected("a restarted churn task did not start");
      t = std::move(*fresh);
    }
    return {};
  }

  void step(const char* what) {
    const auto now = Clock::now();
    const double took = std::chrono::duration<double>(now - step_began_).count();
    if (took > progress_.slowest_step_s) {
      progress_.slowest_step_s = took;
      progress_.slowest_step = progress_.step.load();
    }
    step_began_ = now;
    progress_.step.store(what);
  }

  const ChurnSetup& setup_;
  ChurnProgress& progress_;
  CpusetHierarchy& h_;
  std::vector<workload::NodeMask> mems_;
  std::vector<ForkedChild> tasks_;
  Clock::time_point step_began_ = Clock::now();
};

std::expected<void, std::string> churn_version(const ChurnSetup& setup, ChurnProgress& progress,
                                               CgroupVersion v, Clock::time_point end) {
  progress.version.store(v == CgroupVersion::v1 ? 1 : 2);
  progress.step.store("taking the cpuset controller");
  auto h = CpusetHierarchy::open(v, setup.root);
  if (!h) return std::unexpected(h.error());
  if (v == CgroupVersion::v1)
    if (auto r = h->set_release_agent(k_release_agent); !r) return r;
  Churner churner(setup, progress, *h);  // its tasks die before the hierarchy goes
  if (auto s = churner.start_tasks(); !s) return s;
  const auto version_began = Clock::now();
  const auto first = progress.iterations.load();
  while (Clock::now() < end && !progress.stop.load()) {
    auto began = Clock::now();
    if (auto it = churner.iteration(progress.iterations.load()); !it) return it;
    double s = std::chrono::duration<double>(Clock::now() - began).count();
    progress.min_latency_s = progress.iterations.load() == 0 ? s : std::min(progress.min_latency_s, s);
    progress.max_latency_s = std::max(progress.max_latency_s, s);
    progress.total_latency_s += s;
    progress.iterations.fetch_add(1);
    mark_progress(progress);
  }
  char note[160];
  std::snprintf(note, sizeof note, "cgroup %s: %llu iterations in %.1f s", std::string(to_string(v)).c_str(),
                static_cast<unsigned long long>(progress.iterations.load() - first),
                std::chrono::duration<double>(Clock::now() - version_began).count());
  progress.notes.emplace_back(note);
  progress.step.store("giving the cpuset controller back");
  return {};
}

}  // namespace

void run_churn(const ChurnSetup& setup, ChurnProgress& progress) {
  progress.tid.store(static_cast<pid_t>(::gettid()));
  progress.last_progress_ns.store(now_ns());
  const auto start = Clock::now();
  const auto share = (setup.end - start) / static_cast<long>(std::max<std::size_t>(1, setup.versions.size()));
  for (std::size_t i = 0; i < setup.versions.size() && !progress.stop.load(); ++i) {
    auto end = i + 1 == setup.versions.size() ? setup.end : start + share * static_cast<long>(i + 1);
    auto r = churn_version(setup, progress, setup.versions[i], end);
    mark_progress(progress);  // giving the controller back counts as progress
    if (!r) {
      progress.error = std::string("cgroup ") + std::string(to_string(setup.versions[i])) + ", " +
                       progress.step.load() + ": " + r.error();
      break;
    }
  }
  progress.finished.store(true);
}

}  // namespace numalab::guest
