#include "workloads/cpuset_rebind/cpuset_rebind_run.hpp"

#include <cstdio>

#include "workload/common/node_mapping.hpp"
#include "workload/common/page_placement_check.hpp"
#include "workload/cpuset_rebind/cpuset_rebind_check.hpp"
#include "workload/cpuset_rebind/cpuset_rebind_plan.hpp"
#include "workloads/cpuset_rebind/cpuset_rebind_task.hpp"

namespace numalab::guest {

namespace {

using workload::NodeMask;
constexpr auto k_task_timeout = std::chrono::seconds(30);
constexpr const char* k_home = "numalab-rebind-a";
constexpr std::size_t k_logged_failures = 20;  // more only count

struct TrackedTask {
  workload::PolicyCase spec;
  PolicyTask task;
  workload::TaskPolicy model;
  std::vector<int> nodes;  // where its pages were at the last check
};

std::string nodes_text(const NodeMask& m) { return workload::describe_nodes(m); }

class RebindPass {
 public:
  RebindPass(WorkloadContext& ctx, CpusetHierarchy& h, std::size_t pages, RebindTally& tally)
      : ctx_(ctx), h_(h), pages_(pages), tally_(tally), v_(to_string(h.version())) {}

  std::expected<void, std::string> start_tasks(const NodeMask& mems) {
    if (auto c = h_.create(k_home, mems); !c) return c;
    for (const auto& spec : workload::rebind_policy_cases(mems)) {
      auto model = workload::create_task_policy(spec.mode, spec.flags, spec.user, mems);
      auto task = PolicyTask::start(spec.mode, spec.flags, spec.user, pages_);
      if (!model || !task) return std::unexpected(task ? "no model for a policy case" : task.error());
      if (auto a = h_.attach(k_home, task->pid()); !a) return a;
      if (auto s = task->set_policy(k_task_timeout); !s)
        return std::unexpected(workload::policy_name(spec.mode, spec.flags) + " in mems " + nodes_text(mems) +
                               ": " + s.error());
      tasks_.push_back({spec, std::move(*task), *model, {}});
    }
    workload::CpusetChange change{std::string(v_) + " set_mempolicy in mems " + nodes_text(mems)};
    for (auto& t : tasks_) {
      auto nodes = t.task.page_nodes();
      if (!nodes) return std::unexpected(nodes.error());
      check_first_placement(t, change, *nodes, mems);
      t.nodes = *nodes;
      if (auto c = check_policy(t, change, t.model); !c) return c;
    }
    log(change.what);
    return {};
  }

  // Writes the home cpuset's mems; every task's policy is rebound and its pages move if `migrate`.
  std::expected<void, std::string> change_mems(const NodeMask& from, const NodeMask& to, bool migrate) {
    auto began = std::chrono::steady_clock::now();
    if (auto s = h_.set_mems(k_home, to); !s) return s;
    count_change(began);
    std::string what = std::string(v_) + " mems " + nodes_text(from) + " -> " + nodes_text(to);
    if (!migrate) what += " with memory_migrate off";
    for (auto& t : tasks_)
      if (auto c = check_after(t, {what}, from, to, migrate); !c) return c;
    log(what);
    return {};
  }

  // Moves every task into the cpuset `name` (allowed `to`, coming from `from`).
  std::expected<void, std::string> move_tasks(const std::string& name, const NodeMask& from,
                                              const NodeMask& to) {
    std::string what = std::string(v_) + " task moved, mems " + nodes_text(from) + " -> " + nodes_text(to);
    for (auto& t : tasks_) {
      auto began = std::chrono::steady_clock::now();
      if (auto a = h_.attach(name, t.task.pid()); !a) return a;
      count_change(began);
      if (auto c = check_after(t, {what}, from, to, true); !c) return c;
    }
    log(what);
    return {};
  }

  void stop_tasks() { tasks_.clear(); }

 private:
  void count_change(std::chrono::steady_clock::time_point began) {
    tally_.cpuset_changes++;
    tally_.migration_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  }

  void fail(std::string message) {
    if (++tally_.failed <= k_logged_failures) ctx_.port.send(agent::Log{"cpuset-rebind: failed: " + message});
    tally_.failures.push_back(std::move(message));
  }

  std::expected<void, std::string> check_policy(TrackedTask& t, const workload::CpusetChange& change,
                                                const workload::TaskPolicy& before) {
    auto seen = t.task.report(k_task_timeout);
    if (!seen) return std::unexpected(seen.error());
    auto maps = t.task.numa_maps_policy();
    if (!maps) return std::unexpected(maps.error());
    tally_.checks++;
    for (auto& m :
         workload::policy_mismatches(change, t.model, before, {seen->mode_word, seen->nodes, *maps}))
      fail(std::move(m));
    return {};
  }

  void check_pages(TrackedTask& t, const workload::CpusetChange& change, const std::vector<int>& seen,
                   const std::vector<int>& expected, const char* what) {
    tally_.checks++;
    tally_.pages_checked += seen.size();
    auto placement = workload::check_placement(expected, seen);
    if (placement.wrong == 0) return;
    fail(workload::policy_name(t.spec.mode, t.spec.flags) + ", " + change.what + ": " +
         std::to_string(placement.wrong) + " of " + std::to_string(seen.size()) + " pages " + what + ": " +
         workload::describe(placement));
  }

  // Pages just touched must be on the cpuset's nodes (and a bound task's on its policy's nodes).
  void check_first_placement(TrackedTask& t, const workload::CpusetChange& change,
                             const std::vector<int>& seen, const NodeMask& mems) {
    const NodeMask& allowed = t.spec.mode == workload::PolicyMode::bind ? t.model.nodes : mems;
    tally_.checks++;
    tally_.pages_checked += seen.size();
    std::size_t wrong = 0;
    std::string example;
    for (std::size_t i = 0; i < seen.size(); ++i) {
      if (seen[i] >= 0 && allowed.test(static_cast<std::size_t>(seen[i]))) continue;
      if (wrong++ == 0)
        example = "page " + std::to_string(i) + (seen[i] >= 0 ? " is on node " : " has status ") +
                  std::to_string(seen[i]);
    }
    if (wrong > 0)
      fail(workload::policy_name(t.spec.mode, t.spec.flags) + ", " + change.what + ": " +
           std::to_string(wrong) + " of " + std::to_string(seen.size()) + " pages outside nodes " +
           nodes_text(allowed) + ": " + example);
  }

  std::expected<void, std::string> check_after(TrackedTask& t, const workload::CpusetChange& change,
                                               const NodeMask& from, const NodeMask& to, bool migrate) {
    workload::TaskPolicy before = t.model;
    workload::rebind_task_policy(t.model, to);
    if (auto c = check_policy(t, change, before); !c) return c;
    auto nodes = t.task.page_nodes();
    if (!nodes) return std::unexpected(nodes.error());
    std::vector<int> expected = t.nodes;
    if (migrate) {
      auto from_ids = workload::node_ids(from), to_ids = workload::node_ids(to);
      for (int& n : expected) n = n < 0 ? n : workload::node_after_migrate_pages(n, from_ids, to_ids);
    }
    check_pages(
        t, change, *nodes, expected,
        migrate ? "not on the node memory_migrate moves them to" : "moved although memory_migrate is off");
    t.nodes = *nodes;
    return {};
  }

  void log(const std::string& what) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "cpuset-rebind: %s: %zu tasks checked, %zu failed checks so far, %.3f s in "
                  "cpuset writes",
                  what.c_str(), tasks_.size(), tally_.failed, tally_.migration_s);
    ctx_.port.send(agent::Log{line});
  }

  WorkloadContext& ctx_;
  CpusetHierarchy& h_;
  std::size_t pages_;
  RebindTally& tally_;
  std::string_view v_;
  std::vector<TrackedTask> tasks_;
};

}  // namespace

std::expected<void, std::string> run_rebind_pass(WorkloadContext& ctx, CgroupVersion version,
                                                 const NodeMask& memory_nodes, std::size_t pages,
                                                 RebindTally& tally) {
  auto hierarchy = CpusetHierarchy::open(version, ctx.root);
  if (!hierarchy) return std::unexpected(hierarchy.error());
  RebindPass pass(ctx, *hierarchy, pages, tally);  // destroyed (tasks killed) before the hierarchy
  const auto walk = workload::rebind_mems_walk(memory_nodes);
  if (auto s = pass.start_tasks(walk.front()); !s) return s;
  for (std::size_t i = 1; i < walk.size(); ++i)
    if (auto c = pass.change_mems(walk[i - 1], walk[i], true); !c) return c;

  const auto moves = workload::rebind_move_walk(memory_nodes, walk.back());
  for (std::size_t i = 1; i < moves.size(); ++i) {
    bool home = i + 1 == moves.size() && moves[i] == walk.back();
    std::string name = home ? k_home : "numalab-rebind-" + std::to_string(i);
    if (!home)
      if (auto c = hierarchy->create(name, moves[i]); !c) return c;
    if (auto m = pass.move_tasks(name, moves[i - 1], moves[i]); !m) return m;
  }

  if (version == CgroupVersion::v1) {  // v2 always migrates
    if (auto f = hierarchy->set_flag(k_home, "cpuset.memory_migrate", false); !f) return f;
    if (auto c = pass.change_mems(moves.back(), moves[1], false); !c) return c;
  }
  pass.stop_tasks();
  return {};
}

}  // namespace numalab::guest
