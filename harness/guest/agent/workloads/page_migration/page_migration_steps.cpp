#include "workloads/page_migration/page_migration_steps.hpp"

#include <chrono>

#include "common/page_nodes.hpp"
#include "workload/common/page_placement_check.hpp"
#include "workloads/page_migration/page_migration_worker.hpp"

namespace numalab::guest {

namespace {

// Placing 32 MiB takes well under a second under TCG; this only bounds a worker that is stuck.
constexpr std::chrono::seconds k_placement_limit{120};

std::string count_of(std::size_t n, std::size_t of) {
  return std::to_string(n) + " of " + std::to_string(of);
}

// The check's examples, each with the node the page was on before the call.
std::string describe_with_origin(const workload::PlacementCheck& check, const std::vector<int>& before) {
  std::string out;
  for (const auto& p : check.examples) {
    out += (out.empty() ? "" : "; ") + workload::describe(p);
    if (p.page < before.size()) out += " (was on node " + std::to_string(before[p.page]) + ")";
  }
  if (check.wrong > check.examples.size())
    out += " (and " + std::to_string(check.wrong - check.examples.size()) + " more)";
  return out;
}

void add_failure(std::string& failure, const std::string& text) {
  if (!text.empty()) failure += (failure.empty() ? "" : "; ") + text;
}

// Every page on its thread's node? The rest of the step still runs from where the pages really are.
void check_first_touch(const FirstTouchWorker& worker, const std::vector<int>& seen, StepReport& r) {
  auto check = workload::check_placement(worker.placed_nodes(), seen);
  r.misplaced = check.wrong;
  if (check.wrong)
    add_failure(r.failure, "first touch put " + count_of(check.wrong, seen.size()) +
                               " pages elsewhere than on their thread's node: " + workload::describe(check));
}

std::size_t count_moved(const std::vector<int>& before, const std::vector<int>& after) {
  std::size_t moved = 0;
  for (std::size_t i = 0; i < before.size() && i < after.size(); ++i)
    if (before[i] >= 0 && after[i] >= 0 && before[i] != after[i]) ++moved;
  return moved;
}

struct PlacedWorker {
  FirstTouchWorker worker;
  std::vector<int> before;  // each page's status after the first touch
};

std::expected<PlacedWorker, std::string> start_worker(const WorkerShape& shape, StepReport& r) {
  auto worker = FirstTouchWorker::start(shape.threads, shape.slice_bytes, k_placement_limit);
  if (!worker) return std::unexpected(worker.error());
  auto before = query_page_nodes(worker->pid(), worker->pages());
  if (!before) return std::unexpected("after the first touch: " + before.error());
  r.pages = before->size();
  check_first_touch(*worker, *before, r);
  return PlacedWorker{std::move(*worker), std::move(*before)};
}

}  // namespace

double pages_per_second(const StepReport& r) {
  return r.seconds > 0 ? static_cast<double>(r.moved) / r.seconds : 0.0;
}

std::expected<StepReport, std::string> run_migrate_pages_step(const workload::MigrationStep& step,
                                                              const WorkerShape& shape) {
  const std::string name = "migrate_pages " + workload::format_node_set(step.from) + " -> " +
                           workload::format_node_set(step.to) + " (" + step.kind + ")";
  StepReport r;
  auto placed = start_worker(shape, r);
  if (!placed) return std::unexpected(name + ": " + placed.error());
  auto& [worker, before] = *placed;
  std::vector<int> expected;
  for (std::size_t i = 0; i < before.size(); ++i) {
    int from_node = before[i] >= 0 ? before[i] : worker.placed_nodes()[i];
    expected.push_back(workload::node_after_migrate_pages(from_node, step.from, step.to));
  }

  auto call = migrate_pages_between(worker.pid(), step.from, step.to);
  if (!call) {
    add_failure(r.failure, name + ": " + call.error());
    return r;
  }
  r.not_moved = call->not_migrated;
  r.seconds = call->seconds;
  auto after = query_page_nodes(worker.pid(), worker.pages());
  if (!after) return std::unexpected(name + ": afterwards: " + after.error());
  r.moved = count_moved(before, *after);
  auto check = workload::check_placement(expected, *after);
  r.wrong = check.wrong;
  if (check.wrong)
    add_failure(r.failure, name + ": " + count_of(check.wrong, r.pages) +
                               " pages are not on the node the kernel's rule gives: " +
                               describe_with_origin(check, before));
  return r;
}

std::expected<StepReport, std::string> run_move_pages_step(const workload::NodeSet& memory_nodes,
                                                           const WorkerShape& shape) {
  const std::string name = "move_pages to alternating nodes " + workload::format_node_set(memory_nodes);
  StepReport r;
  auto placed = start_worker(shape, r);
  if (!placed) return std::unexpected(name + ": " + placed.error());
  auto& [worker, before] = *placed;
  std::vector<int> targets;
  for (std::size_t i = 0; i < before.size(); ++i)
    targets.push_back(workload::move_pages_target(i, memory_nodes));

  auto call = move_pages_to(worker.pid(), worker.pages(), targets);
  if (!call) {
    add_failure(r.failure, name + ": " + call.error());
    return r;
  }
  r.not_moved = call->not_moved;
  r.seconds = call->seconds;
  auto after = query_page_nodes(worker.pid(), worker.pages());
  if (!after) return std::unexpected(name + ": afterwards: " + after.error());
  r.moved = count_moved(before, *after);

  auto statuses = workload::check_placement(targets, call->status);
  auto placement = workload::check_placement(targets, *after);
  for (std::size_t i = 0; i < targets.size(); ++i)
    if (call->status[i] != targets[i] || (*after)[i] != targets[i]) ++r.wrong;
  if (statuses.wrong)
    add_failure(r.failure, name + ": " + count_of(statuses.wrong, r.pages) +
                               " pages with a bad status: " + describe_with_origin(statuses, before));
  if (placement.wrong)
    add_failure(r.failure,
                name + ": afterwards " + count_of(placement.wrong, r.pages) +
                    " pages are not on their target node: " + describe_with_origin(placement, before));
  return r;
}

}  // namespace numalab::guest
