#include "workload/common/numa_maps.hpp"

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

namespace {

std::optional<std::uint64_t> hex_address(std::string_view word) {
  std::uint64_t v = 0;
  if (word.empty() || word.size() > 16) return std::nullopt;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v, 16);
  if (ec != std::errc{} || end != word.data() + word.size()) return std::nullopt;
  return v;
}

// "N3=120": node 3, 120 pages. False if word starts with N and a digit but is malformed.
bool node_field(std::string_view key, std::string_view value, NumaMapsEntry& out) {
  auto node = proc_text::to_unsigned<unsigned>(key.substr(1));
  auto pages = proc_text::to_unsigned(value);
  if (!node || !pages || *node >= k_max_numa_maps_nodes) return false;
  if (out.node_pages.size() >= k_max_numa_maps_nodes) return false;
  out.node_pages.emplace_back(static_cast<int>(*node), *pages);
  return true;
}

// One key=value field; false if it is malformed in a way that makes the line untrustworthy.
bool field(std::string_view key, std::string_view value, NumaMapsEntry& out) {
  if (key.size() >= 2 && key[0] == 'N' && key[1] >= '0' && key[1] <= '9') return node_field(key, value, out);
  if (key == "file") {
    out.file = std::string(value.substr(0, k_max_numa_maps_file));
    return true;
  }
  std::uint64_t* counter = key == "anon"                ? &out.anon_pages
                           : key == "dirty"             ? &out.dirty_pages
                           : key == "kernelpagesize_kB" ? &out.page_kb
                                                        : nullptr;
  if (!counter) return true;  // mapped=, mapmax=, swapcache=, active=, writeback=, ...: not needed
  auto v = proc_text::to_unsigned(value);
  if (!v || (counter == &out.page_kb && *v == 0)) return false;
  *counter = *v;
  return true;
}

}  // namespace

std::uint64_t NumaMapsEntry::pages_on(int node) const {
  std::uint64_t n = 0;
  for (const auto& [id, pages] : node_pages)
    if (id == node) n += pages;
  return n;
}

std::uint64_t NumaMapsEntry::resident_pages() const {
  std::uint64_t n = 0;
  for (const auto& np : node_pages) n += np.second;
  return n;
}

// The policy as mpol_to_str() prints it: a mode name, then "=static" or "=relative" when the
// policy has a flag, then ":NODES" ("bind=static:0-1"). A word like "anon=1" is a field: the
// policy is missing.
bool is_policy_word(std::string_view word) {
  const auto mode = word.substr(0, word.find_first_of("=:"));
  for (std::string_view known : {"default", "prefer", "bind", "interleave", "local", "weighted"})
    if (mode == known) return true;
  return false;
}

bool parse_numa_maps_line(std::string_view line, NumaMapsEntry& out) {
  out = {};
  auto start = hex_address(proc_text::next_word(line));
  std::string_view policy = proc_text::next_word(line);
  if (!start || !is_policy_word(policy)) return false;
  out.start = *start;
  out.policy = std::string(policy.substr(0, 64));
  if (policy == "prefer" && line.starts_with(" (many)")) {  // MPOL_PREFERRED_MANY has a blank in its name
    out.policy += " " + std::string(proc_text::next_word(line).substr(0, 64));
  }
  for (auto word = proc_text::next_word(line); !word.empty(); word = proc_text::next_word(line)) {
    auto eq = word.find('=');
    if (eq == std::string_view::npos) {
      out.huge = out.huge || word == "huge";
      out.heap = out.heap || word == "heap";
      out.stack = out.stack || word == "stack";
      continue;
    }
    if (!field(word.substr(0, eq), word.substr(eq + 1), out)) return false;
  }
  return true;
}

NumaMaps parse_numa_maps(std::string_view text) {
  NumaMaps out;
  NumaMapsEntry entry;
  while (!text.empty()) {
    std::string_view line = proc_text::next_line(text);
    std::string_view probe = line;
    if (proc_text::next_word(probe).empty()) continue;  // a blank line
    if (out.entries.size() >= k_max_numa_maps_entries || !parse_numa_maps_line(line, entry)) {
      ++out.skipped_lines;
      continue;
    }
    out.entries.push_back(std::move(entry));
  }
  return out;
}

}  // namespace numalab::workload
