// page-migration: manual page migration as the 2005 thread wanted it for first-touch programs.
// A worker's threads place its memory by first touch across the memory nodes; migrate_pages(2)
// then moves the worker between node sets (disjoint, overlapping, fewer new nodes, the same set)
// and every page must land on the node the kernel's rule gives (workload/common/node_mapping.hpp); and
// move_pages(2) sends every page to an explicit node, its per-page status checked. Each call runs
// on a fresh worker, so each starts from the first-touch layout.
//
// A guest with fewer than two memory nodes ends with verdict "error": there is nothing to migrate,
// and a pass would let a lab that was meant to exercise migration claim it did.

#include <algorithm>
#include <cstdio>

#include "common/child_reaping_pause.hpp"
#include "common/metric.hpp"
#include "common/workload.hpp"
#include "workload/common/params.hpp"
#include "workload/common/sysfs_topology.hpp"
#include "workload/page_migration/page_migration_spec.hpp"
#include "workloads/page_migration/page_migration_steps.hpp"

namespace numalab::guest {

namespace {

constexpr std::uint64_t k_page_bytes = 4096;
constexpr std::size_t k_max_detail = 2000;

struct Totals {
  std::size_t moved = 0, wrong = 0, misplaced = 0;
  long not_moved = 0;
  double seconds = 0;

  void add(const StepReport& r) {
    moved += r.moved;
    wrong += r.wrong;
    misplaced += r.misplaced;
    not_moved += r.not_moved;
    seconds += r.seconds;
  }
  double per_second() const { return seconds > 0 ? static_cast<double>(moved) / seconds : 0.0; }
};

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string summary_line(const std::string& what, const StepReport& r) {
  return "page-migration: " + what + ": " + std::to_string(r.moved) + " of " + std::to_string(r.pages) +
         " pages moved in " + fixed(r.seconds, 3) + " s (" + fixed(pages_per_second(r), 0) + " pages/s), " +
         std::to_string(r.not_moved) + " not moved, " + std::to_string(r.wrong) + " on a wrong node";
}

// has_memory: the kernel's N_MEMORY mask, the nodes a page can be on.
std::expected<workload::NodeSet, std::string> read_memory_nodes(const std::filesystem::path& root) {
  auto path = root / "sys/devices/system/node/has_memory";
  auto text = workload::read_small_file(path);
  if (!text) return std::unexpected(text.error());
  auto nodes = workload::parse_cpu_list(*text);
  if (!nodes) return std::unexpected(path.string() + ": " + nodes.error());
  return workload::make_node_set(*nodes);
}

// Migrations gather the whole buffer on one node ({a} -> {b} on two nodes), so it must fit in half
// of the smallest memory node.
std::expected<WorkerShape, std::string> worker_shape(const nlohmann::json& params,
                                                     const model::Topology& topology,
                                                     const workload::NodeSet& memory_nodes) {
  const auto& spec = workload::page_migration_spec().params;
  auto memory = workload::size_param(params, spec, "memory");
  if (!memory) return std::unexpected(memory.error());
  auto threads = workload::integer_param(params, spec, "threads");
  if (!threads) return std::unexpected(threads.error());
  const std::uint64_t bytes = memory->value();
  WorkerShape shape;
  shape.threads =
      workload::first_touch_threads(topology, memory_nodes, static_cast<std::size_t>(threads->value_or(0)));
  shape.slice_bytes = static_cast<std::size_t>(bytes / shape.threads.size() / k_page_bytes * k_page_bytes);
  if (shape.slice_bytes == 0)
    return std::unexpected("memory " + std::to_string(bytes) + " bytes is less than a page per thread");
  for (const auto& n : topology.nodes) {
    if (std::find(memory_nodes.begin(), memory_nodes.end(), n.id) == memory_nodes.end()) continue;
    if (bytes / 1024 > n.memory_kb / 2)
      return std::unexpected("memory " + std::to_string(bytes >> 20) +
                             " MiB does not fit: a migration can gather " +
                             "the whole buffer on one node, and node " + std::to_string(n.id) + " has " +
                             std::to_string(n.memory_kb >> 10) + " MiB; use at most half of it");
  }
  return shape;
}

}  // namespace

WorkloadOutcome run_page_migration(WorkloadContext& ctx, const nlohmann::json& params) {
  auto topology = workload::read_sysfs_topology(ctx.root);
  if (!topology) return {"error", "cannot read the topology: " + topology.error(), {}};
  auto memory_nodes = read_memory_nodes(ctx.root);
  if (!memory_nodes) return {"error", "cannot read the memory nodes: " + memory_nodes.error(), {}};
  if (memory_nodes->size() < 2)
    return {"error",
            "page-migration needs at least two nodes with memory; this guest has " +
                std::to_string(memory_nodes->size()) + " " + workload::format_node_set(*memory_nodes),
            {}};
  auto shape = worker_shape(params, *topology, *memory_nodes);
  if (!shape) return {"error", shape.error(), {}};

  ChildReapingPause reaping_pause;  // the workers are reaped by their owners, not by init's handler
  Totals migrate, move;
  std::string failures;
  auto note = [&](const std::string& what, const StepReport& r) {
    ctx.port.send(agent::Log{summary_line(what, r)});
    if (!r.failure.empty()) failures += (failures.empty() ? "" : " | ") + r.failure;
  };
  const auto steps = workload::migration_steps(*memory_nodes);
  for (const auto& step : steps) {
    auto r = run_migrate_pages_step(step, *shape);
    if (!r) return {"error", r.error(), {}};
    migrate.add(*r);
    note("migrate_pages " + workload::describe(step), *r);
  }
  auto r = run_move_pages_step(*memory_nodes, *shape);
  if (!r) return {"error", r.error(), {}};
  move.add(*r);
  note("move_pages to alternating nodes " + workload::format_node_set(*memory_nodes), *r);

  WorkloadOutcome outcome;
  outcome.verdict = failures.empty() ? "pass" : "fail";
  outcome.detail = failures.size() > k_max_detail ? failures.substr(0, k_max_detail) + "..." : failures;
  using model::Better;
  outcome.metrics = {
      metric("migrate_pages_per_s", migrate.per_second(), "pages/s", Better::higher),
      metric("migrate_pages_moved", static_cast<double>(migrate.moved), "pages", Better::none),
      metric("migrate_pages_wrong_node", static_cast<double>(migrate.wrong), "pages", Better::lower),
      metric("migrate_pages_not_migrated", static_cast<double>(migrate.not_moved), "pages", Better::lower),
      metric("migrate_pages_steps", static_cast<double>(steps.size()), "", Better::none),
      metric("move_pages_per_s", move.per_second(), "pages/s", Better::higher),
      metric("move_pages_moved", static_cast<double>(move.moved), "pages", Better::none),
      metric("move_pages_bad_status", static_cast<double>(move.wrong), "pages", Better::lower),
      metric("move_pages_not_moved", static_cast<double>(move.not_moved), "pages", Better::lower),
      metric("first_touch_misplaced", static_cast<double>(migrate.misplaced + move.misplaced), "pages",
             Better::lower),
  };
  return outcome;
}

}  // namespace numalab::guest
