#include "run/tasks_in_d.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace numalab::run {

using util::TimePoint;

namespace {

bool longest_first(const TaskInD& a, const TaskInD& b) {
  if (a.since != b.since) return a.since < b.since;
  return std::pair(a.task.pid, a.task.tid) < std::pair(b.task.pid, b.task.tid);
}

std::string frames(const agent::BlockedTask& t, std::size_t max_frames) {
  if (t.stack.empty()) return t.wchan.empty() ? "no stack" : "in " + t.wchan;
  std::string out = !t.wchan.empty() && t.wchan != t.stack.front() ? "in " + t.wchan + ": " : "";
  for (std::size_t i = 0; i < t.stack.size() && i < max_frames; ++i) out += (i ? " <- " : "") + t.stack[i];
  if (t.stack.size() > max_frames) out += " <- ...";
  return out;
}

}  // namespace

void TasksInD::reported(const agent::Blocked& m, TimePoint now) {
  forget_stale(now);  // first: a task back in D after a gap is another stall
  for (const auto& task : m.tasks) {
    auto [it, added] = tasks_.try_emplace({task.pid, task.tid}, TaskInD{task, now, now});
    TaskInD& known = it->second;
    if (!added && known.task.switches != task.switches) known.since = now;
    known.task = task;
    known.reported = now;
  }
  while (tasks_.size() > k_max_tasks_in_d) {
    auto least_recent = std::ranges::min_element(
        tasks_, [](const auto& a, const auto& b) { return a.second.reported < b.second.reported; });
    tasks_.erase(least_recent);
  }
}

void TasksInD::forget_stale(TimePoint now) {
  std::erase_if(tasks_, [&](const auto& entry) { return now - entry.second.reported > forget_after_; });
}

void TasksInD::restart(TimePoint now) {
  for (auto& [key, t] : tasks_) {
    t.since = std::max(t.since, now);
    t.reported = std::max(t.reported, now);
  }
}

TimePoint TasksInD::oldest_since() const {
  TimePoint oldest = TimePoint::max();
  for (const auto& [key, t] : tasks_) oldest = std::min(oldest, t.since);
  return oldest;
}

std::vector<TaskInD> TasksInD::stuck_for(std::chrono::milliseconds window, TimePoint now) const {
  std::vector<TaskInD> out;
  for (const auto& [key, t] : tasks_)
    if (now - t.since >= window) out.push_back(t);
  std::ranges::sort(out, longest_first);
  return out;
}

std::vector<TaskInD> TasksInD::all() const {
  std::vector<TaskInD> out;
  for (const auto& [key, t] : tasks_) out.push_back(t);
  std::ranges::sort(out, longest_first);
  return out;
}

std::string describe_stuck(const TaskInD& t, TimePoint now, std::size_t max_frames) {
  const std::string ids = t.task.tid == t.task.pid ? fmt::format("pid {}", t.task.pid)
                                                   : fmt::format("pid {}, tid {}", t.task.pid, t.task.tid);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - t.since).count();
  return fmt::format("task {} ({}) blocked in D for {} s without a context switch: {}", t.task.comm, ids,
                     static_cast<long>(seconds), frames(t.task, max_frames));
}

}  // namespace numalab::run
