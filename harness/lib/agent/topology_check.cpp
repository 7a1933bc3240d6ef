#include "agent/topology_check.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace numalab::agent {

namespace {

std::string cpu_list_text(std::vector<int> cpus) {
  std::sort(cpus.begin(), cpus.end());
  return cpus.empty() ? "none" : model::format_cpu_list(cpus);
}

// id -> position in t.nodes; duplicated ids are reported.
std::map<int, std::size_t> positions(const model::Topology& t, const char* which,
                                     std::vector<std::string>& out) {
  std::map<int, std::size_t> pos;
  for (std::size_t i = 0; i < t.nodes.size(); ++i)
    if (!pos.emplace(t.nodes[i].id, i).second)
      out.push_back("node " + std::to_string(t.nodes[i].id) + ": listed twice (" + which + ")");
  return pos;
}

void diff_memory(const model::NodeTopology& declared, const model::NodeTopology& seen, bool kernel_node,
                 std::vector<std::string>& out) {
  std::string head = "node " + std::to_string(declared.id) + ": MemTotal " + std::to_string(seen.memory_kb) +
                     " kB (" + format_mib(seen.memory_kb) + "), expected ";
  if (declared.memory_kb == 0) {
    if (seen.memory_kb != 0) out.push_back(head + "0 (a memory-less node)");
    return;
  }
  auto range = mem_total_range(declared.memory_kb, kernel_node);
  if (seen.memory_kb >= range.min_kb && seen.memory_kb <= range.max_kb) return;
  auto allowance = k_mem_allowance_node_kb + (kernel_node ? k_mem_allowance_kernel_kb : 0);
  auto declared_text = format_mib(declared.memory_kb);
  out.push_back(head + std::to_string(range.min_kb) + " .. " + std::to_string(range.max_kb) + " kB (" +
                declared_text + " - " + std::to_string(k_mem_tolerance_percent) + "% - " +
                format_mib(allowance) + " .. " + declared_text + ")");
}

// The declared matrix, or 10 local / 20 remote when the declaration has none.
model::NodeDistanceMatrix declared_distances(const model::Topology& declared) {
  if (!declared.distances.empty()) return declared.distances;
  std::size_t n = declared.nodes.size();
  model::NodeDistanceMatrix m(n, std::vector<int>(n, 20));
  for (std::size_t i = 0; i < n; ++i) m[i][i] = 10;
  return m;
}

bool is_square(const model::NodeDistanceMatrix& m, std::size_t n) {
  return m.size() == n && std::all_of(m.begin(), m.end(), [n](const auto& row) { return row.size() == n; });
}

void diff_distances(const model::Topology& declared, const model::Topology& seen,
                    const std::map<int, std::size_t>& seen_pos, std::vector<std::string>& out) {
  auto expected = declared_distances(declared);
  if (!is_square(expected, declared.nodes.size())) {
    out.push_back("distances: the declared matrix is not " + std::to_string(declared.nodes.size()) + "x" +
                  std::to_string(declared.nodes.size()));
    return;
  }
  if (!is_square(seen.distances, seen.nodes.size())) {
    out.push_back("distances: the seen matrix is not " + std::to_string(seen.nodes.size()) + "x" +
                  std::to_string(seen.nodes.size()));
    return;
  }
  for (std::size_t i = 0; i < declared.nodes.size(); ++i) {
    auto si = seen_pos.find(declared.nodes[i].id);
    if (si == seen_pos.end()) continue;
    for (std::size_t j = 0; j < declared.nodes.size(); ++j) {
      auto sj = seen_pos.find(declared.nodes[j].id);
      if (sj == seen_pos.end()) continue;
      int want = expected[i][j];
      int got = seen.distances[si->second][sj->second];
      if (want != got)
        out.push_back("distance[" + std::to_string(declared.nodes[i].id) + "][" +
                      std::to_string(declared.nodes[j].id) + "]: " + std::to_string(want) + " expected, " +
                      std::to_string(got) + " seen");
    }
  }
}

}  // namespace

MemTotalRange mem_total_range(std::uint64_t declared_kb, bool kernel_node) {
  std::uint64_t allowance = k_mem_allowance_node_kb + (kernel_node ? k_mem_allowance_kernel_kb : 0);
  std::uint64_t shortfall = declared_kb / 100 * k_mem_tolerance_percent +
                            declared_kb % 100 * k_mem_tolerance_percent / 100 + allowance;
  return {declared_kb > shortfall ? declared_kb - shortfall : 0, declared_kb};
}

int kernel_node_id(const model::Topology& declared, const model::Topology& seen) {
  int best = -1;
  std::int64_t best_shortfall = 0;
  for (const auto& d : declared.nodes) {
    if (d.memory_kb == 0) continue;
    for (const auto& s : seen.nodes) {
      if (s.id != d.id) continue;
      auto shortfall = static_cast<std::int64_t>(d.memory_kb) - static_cast<std::int64_t>(s.memory_kb);
      if (best < 0 || shortfall > best_shortfall) {
        best = d.id;
        best_shortfall = shortfall;
      }
    }
  }
  return best;
}

std::vector<std::string> diff_topology(const model::Topology& declared, const model::Topology& seen) {
  std::vector<std::string> out;
  auto declared_pos = positions(declared, "declared", out);
  auto seen_pos = positions(seen, "seen", out);
  int kernel_node = kernel_node_id(declared, seen);
  for (const auto& d : declared.nodes) {
    auto it = seen_pos.find(d.id);
    if (it == seen_pos.end()) {
      out.push_back("node " + std::to_string(d.id) + ": declared, not seen");
      continue;
    }
    const auto& s = seen.nodes[it->second];
    auto want = cpu_list_text(d.cpus), got = cpu_list_text(s.cpus);
    if (want != got)
      out.push_back("node " + std::to_string(d.id) + ": cpus " + want + " expected, " + got + " seen");
    diff_memory(d, s, d.id == kernel_node, out);
  }
  for (const auto& s : seen.nodes)
    if (!declared_pos.contains(s.id))
      out.push_back("node " + std::to_string(s.id) + ": seen, not declared (cpus " + cpu_list_text(s.cpus) +
                    ", MemTotal " + format_mib(s.memory_kb) + ")");
  diff_distances(declared, seen, seen_pos, out);
  return out;
}

std::string describe_differences(const std::vector<std::string>& differences) {
  std::string text;
  for (std::size_t i = 0; i < differences.size() && i < k_max_reported_differences; ++i)
    text += (i ? "; " : "") + differences[i];
  if (differences.size() > k_max_reported_differences)
    text += "; ... and " + std::to_string(differences.size() - k_max_reported_differences) + " more";
  return text;
}

std::string format_mib(std::uint64_t kb) {
  if (kb % 1024 == 0) return std::to_string(kb / 1024) + " MiB";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(kb) / 1024.0);
  return buf;
}

}  // namespace numalab::agent
