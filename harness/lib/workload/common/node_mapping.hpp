#pragma once
// Where migrate_pages(2) puts a process's pages: the kernel's rule (do_migrate_pages in
// mm/mempolicy.c, Linux 6.1) as a pure function, so the page-migration workload can say which node
// every page must be on afterwards.
//
// The rule. A page on node s of the old set goes to node_remap(s, old, new): if s is the n-th node
// of old (counting from 0), it goes to the (n mod |new|)-th node of new. This keeps each page's
// position relative to the set (the "relative node" of the 2005 manual-migration thread, for
// programs that placed memory by first touch). Two exceptions:
//  - when |old| != |new|, a node of old that is also in new keeps its pages ("[0-7] -> [3,4,5]
//    moves only 0,1,2,6,7"): the relative position cannot be kept, and moving such a node would
//    stir pages that are already where they may be;
//  - pages on nodes outside old never move.
// Node sets are masks, not lists: {0,1} -> {1,0} is {0,1} -> {0,1}, which moves nothing; there is
// no swap. The kernel moves one source node at a time, choosing first a source whose destination
// holds no pages still to move ({0,1} -> {1,2} moves 1 -> 2 before 0 -> 1), so no page moves twice.
//
// The kernel also intersects new with the caller's cpuset mems (memory nodes only) before all this;
// callers pass sets of memory nodes, so it is not modelled here.

#include <string>
#include <vector>

namespace numalab::workload {

// Node ids, ascending, no repeats (a nodemask). make_node_set sorts and deduplicates a list.
using NodeSet = std::vector<int>;
NodeSet make_node_set(std::vector<int> nodes);

// "{0,1}", "{}".
std::string format_node_set(const NodeSet& nodes);

// The kernel's node_remap (bitmap_bitremap): node's position in from, taken modulo |to|, picks the
// node of to. A node not in from, or an empty to, maps to itself.
int relative_node(int node, const NodeSet& from, const NodeSet& to);

// One migrate_to_node call of do_migrate_pages: every page on source goes to dest.
struct NodeMove {
  int source = -1;
  int dest = -1;

  bool operator==(const NodeMove&) const = default;
};

// The moves do_migrate_pages makes, in its order.
std::vector<NodeMove> migrate_pages_moves(const NodeSet& from, const NodeSet& to);

// The node a page on `node` is on after migrate_pages(from, to): the moves applied in order.
int node_after_migrate_pages(int node, const NodeSet& from, const NodeSet& to);

}  // namespace numalab::workload
