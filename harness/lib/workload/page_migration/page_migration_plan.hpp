#pragma once
// What the page-migration workload does on a given guest: where its threads first-touch their
// slices, which migrate_pages(2) calls it makes, and where move_pages(2) sends each page. Computed
// from the guest's memory nodes (nodes a page can be on: the kernel's has_memory mask) and CPUs.

#include <cstddef>
#include <string>
#include <vector>

#include "model/topology.hpp"
#include "workload/common/node_mapping.hpp"

namespace numalab::workload {

// One migrate_pages(pid, old, new) call, made on a worker fresh from its first touch.
struct MigrationStep {
  std::string kind;  // "disjoint", "overlapping", "fewer new nodes", "same set"
  NodeSet from, to;

  bool operator==(const MigrationStep&) const = default;
};

// "disjoint {0} -> {1}".
std::string describe(const MigrationStep& step);

// On memory nodes a < b < c < d < ...:
//   2 nodes:  disjoint {a} -> {b}; fewer new nodes {a,b} -> {b}; same set {a,b} -> {b,a}, which is
//             {a,b} -> {a,b} (masks have no order) and must move nothing.
//   3 nodes:  disjoint {a} -> {b}; overlapping {a,b} -> {b,c}; fewer new nodes {a,b,c} -> {b,c}.
//   4 or more: disjoint {a} -> {b}; disjoint {a,b} -> {c,d}; overlapping {a,b} -> {b,c};
//             fewer new nodes {a,b,c,d} -> {b,c}.
// The fewer-new-nodes steps keep b and c where they are although their relative nodes would swap
// them (b -> c, c -> b): they tell the kernel's rule from a plain node_remap of every page.
// Fewer than 2 memory nodes: none.
std::vector<MigrationStep> migration_steps(const NodeSet& memory_nodes);

// A worker thread and the slice it first-touches.
struct FirstTouchThread {
  int node = -1;  // the memory node its slice must be on
  int cpu = -1;   // the CPU it runs on; -1 on a CPU-less node, whose slice is placed with mbind
};

// Thread t takes memory node t mod n (n memory nodes) and, when that node has CPUs, its CPU number
// (t / n) mod (the node's CPU count). Memory-less nodes get no thread. threads == 0: one per
// memory node.
std::vector<FirstTouchThread> first_touch_threads(const model::Topology& topology,
                                                  const NodeSet& memory_nodes, std::size_t threads);

// The node move_pages sends page `page` of the buffer to: memory node page mod n, so neighbouring
// pages alternate and every node gives and receives pages.
int move_pages_target(std::size_t page, const NodeSet& memory_nodes);

}  // namespace numalab::workload
