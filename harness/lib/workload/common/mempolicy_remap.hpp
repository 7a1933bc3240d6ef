#pragma once
// Node masks and Linux's bitmap operators on them (lib/bitmap.c), from which the kernel computes how
// a NUMA memory policy follows its cpuset: bitmap_remap, bitmap_bitremap, bitmap_onto, bitmap_fold
// and mempolicy.c's mpol_relative_nodemask (fold, then onto). Pure functions, for the cpuset
// workloads' expectations; their unit tests are the examples of the kernel's own comments and of
// Documentation/admin-guide/mm/numa_memory_policy.rst.

#include <bitset>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numalab::workload {

inline constexpr std::size_t k_max_node_ids = 1024;  // MAX_NUMNODES with Debian's NODES_SHIFT=10
using NodeMask = std::bitset<k_max_node_ids>;

// bitmap_remap: the n-th set bit of old_mask maps to the (n % weight(new_mask))-th set bit of
// new_mask; bits not set in old_mask map to themselves, and so does everything when either mask is
// empty.
NodeMask remap_nodes(const NodeMask& src, const NodeMask& old_mask, const NodeMask& new_mask);

// bitmap_bitremap (the kernel's node_remap): the same map applied to one node.
int remap_node(int node, const NodeMask& old_mask, const NodeMask& new_mask);

// bitmap_onto: bit m of orig sets the m-th set bit of relmap; bits of orig at or beyond
// weight(relmap) map nowhere.
NodeMask onto_nodes(const NodeMask& orig, const NodeMask& relmap);

// bitmap_fold: bit b of orig sets bit b % size (size 0: empty).
NodeMask fold_nodes(const NodeMask& orig, std::size_t size);

// mpol_relative_nodemask: a MPOL_F_RELATIVE_NODES mask made concrete in the allowed nodes, i.e.
// onto(fold(user, weight(allowed)), allowed).
NodeMask relative_nodes(const NodeMask& user, const NodeMask& allowed);

// The first set node, or -1 (first_node; the kernel says MAX_NUMNODES).
int first_node(const NodeMask& mask);

// The kernel's list format (%*pbl, cpuset.mems): "0-1,3"; an empty mask is "".
std::string format_node_list(const NodeMask& mask);

// format_node_list, but "none" for an empty mask: for messages.
std::string describe_nodes(const NodeMask& mask);

// Parses the list format ("0-1,3", "2", "", with an optional trailing newline); nullopt when
// malformed or a node is >= k_max_node_ids.
std::optional<NodeMask> parse_node_list(std::string_view text);

// A mask of the listed nodes, for tests and tables: nodes({0, 2}).
NodeMask nodes(std::initializer_list<int> ids);

// The set nodes, ascending (node_mapping.hpp's NodeSet).
std::vector<int> node_ids(const NodeMask& mask);

}  // namespace numalab::workload
