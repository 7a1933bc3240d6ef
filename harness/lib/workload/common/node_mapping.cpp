#include "workload/common/node_mapping.hpp"

#include <algorithm>

namespace numalab::workload {

namespace {

bool contains(const NodeSet& set, int node) { return std::binary_search(set.begin(), set.end(), node); }

}  // namespace

NodeSet make_node_set(std::vector<int> nodes) {
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  return nodes;
}

std::string format_node_set(const NodeSet& nodes) {
  std::string out = "{";
  for (std::size_t i = 0; i < nodes.size(); ++i) out += (i ? "," : "") + std::to_string(nodes[i]);
  return out + "}";
}

int relative_node(int node, const NodeSet& from, const NodeSet& to) {
  auto at = std::lower_bound(from.begin(), from.end(), node);
  if (at == from.end() || *at != node || to.empty()) return node;
  auto position = static_cast<std::size_t>(at - from.begin());
  return to[position % to.size()];
}

// The scan of do_migrate_pages: over the sources left, remember the last one that moves, but take
// at once one whose destination is not a source left (so nothing is moved onto pages still to go).
std::vector<NodeMove> migrate_pages_moves(const NodeSet& from, const NodeSet& to) {
  std::vector<NodeMove> moves;
  NodeSet left = from;
  const bool same_weight = from.size() == to.size();
  while (!left.empty()) {
    NodeMove pick;
    for (int s : left) {
      if (!same_weight && contains(to, s)) continue;
      int d = relative_node(s, from, to);
      if (d == s) continue;
      pick = {s, d};
      if (!contains(left, d)) break;
    }
    if (pick.source < 0) break;
    left.erase(std::find(left.begin(), left.end(), pick.source));
    moves.push_back(pick);
  }
  return moves;
}

int node_after_migrate_pages(int node, const NodeSet& from, const NodeSet& to) {
  for (const auto& m : migrate_pages_moves(from, to))
    if (m.source == node) node = m.dest;
  return node;
}

}  // namespace numalab::workload
