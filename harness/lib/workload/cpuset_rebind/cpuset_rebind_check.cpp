#include "workload/cpuset_rebind/cpuset_rebind_check.hpp"

#include <charconv>

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

namespace {

constexpr const char* k_not_rebound =
    "; the policy still names the nodes it had before the change: it was not rebound";

std::string mode_word_name(int word) {
  int mode = word & ~(k_mpol_f_static_nodes | k_mpol_f_relative_nodes);
  PolicyFlags flags = (word & k_mpol_f_static_nodes)     ? PolicyFlags::static_nodes
                      : (word & k_mpol_f_relative_nodes) ? PolicyFlags::relative_nodes
                                                         : PolicyFlags::none;
  if (mode < 1 || mode > 3) return "mode " + std::to_string(word);
  return policy_name(static_cast<PolicyMode>(mode), flags);
}

std::string nodes_message(const std::string& head, const NodeMask& expected, const NodeMask& seen,
                          const NodeMask& before, const char* source) {
  std::string out = head + ": expected nodes " + describe_nodes(expected) + ", kernel reports " +
                    describe_nodes(seen) + " (" + source + ")";
  if (seen == before && expected != before) out += k_not_rebound;
  return out;
}

}  // namespace

int policy_mode_word(PolicyMode mode, PolicyFlags flags) {
  int word = static_cast<int>(mode);
  if (flags == PolicyFlags::static_nodes) word |= k_mpol_f_static_nodes;
  if (flags == PolicyFlags::relative_nodes) word |= k_mpol_f_relative_nodes;
  return word;
}

std::string numa_maps_policy_at(std::string_view numa_maps, std::uint64_t address) {
  std::string best;
  std::uint64_t best_start = 0;
  bool found = false;
  while (!numa_maps.empty()) {
    std::string_view line = proc_text::next_line(numa_maps);
    std::string_view start_word = proc_text::next_word(line);
    std::uint64_t start = 0;
    auto [end, ec] = std::from_chars(start_word.data(), start_word.data() + start_word.size(), start, 16);
    if (start_word.empty() || ec != std::errc{} || end != start_word.data() + start_word.size()) continue;
    if (start > address || (found && start < best_start)) continue;
    std::string_view policy = proc_text::next_word(line);
    best = std::string(policy.substr(0, 128));
    if (policy == "prefer" && line.starts_with(" (many)"))
      best += " " + std::string(proc_text::next_word(line));
    best_start = start;
    found = true;
  }
  return best;
}

std::optional<NodeMask> numa_maps_policy_nodes(const std::string& word) {
  auto colon = word.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return parse_node_list(std::string_view(word).substr(colon + 1));
}

std::vector<std::string> policy_mismatches(const CpusetChange& change, const TaskPolicy& expected,
                                           const TaskPolicy& before, const SeenPolicy& seen) {
  std::vector<std::string> out;
  const std::string head = policy_name(expected.mode, expected.flags) + ", " + change.what;
  const int want_word = policy_mode_word(expected.mode, expected.flags);
  if (seen.mode_word != want_word) {
    out.push_back(head + ": expected get_mempolicy mode " + mode_word_name(want_word) + ", kernel reports " +
                  mode_word_name(seen.mode_word));
    return out;
  }
  NodeMask want_reported = get_mempolicy_nodes(expected);
  if (!get_mempolicy_accepts(expected, seen.reported))
    out.push_back(
        nodes_message(head, want_reported, seen.reported, get_mempolicy_nodes(before), "get_mempolicy"));
  // Without a flag both show the nodes in effect: one message for one fault.
  if (!out.empty() && expected.flags == PolicyFlags::none) return out;
  const std::string want_maps = numa_maps_policy(expected);
  if (seen.numa_maps != want_maps) {
    auto seen_nodes = numa_maps_policy_nodes(seen.numa_maps);
    bool same_prefix =
        seen.numa_maps.substr(0, seen.numa_maps.find(':')) == want_maps.substr(0, want_maps.find(':'));
    if (same_prefix && seen_nodes)
      out.push_back(nodes_message(head, expected.nodes, *seen_nodes, before.nodes, "numa_maps"));
    else
      out.push_back(head + ": expected numa_maps policy \"" + want_maps + "\", kernel shows \"" +
                    seen.numa_maps + "\"");
  }
  return out;
}

}  // namespace numalab::workload
