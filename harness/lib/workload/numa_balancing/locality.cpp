#include "workload/numa_balancing/locality.hpp"

#include <map>

namespace numalab::workload {

namespace {

// KiB of a slice on each node, and in all.
struct SliceResidency {
  std::map<int, std::uint64_t> kb_on;
  std::uint64_t kb = 0;
};

std::vector<SliceResidency> residency(const NumaMaps& maps, const std::vector<AddressRange>& slices) {
  std::vector<SliceResidency> out(slices.size());
  for (const auto& e : maps.entries) {
    for (std::size_t s = 0; s < slices.size(); ++s) {
      if (e.start < slices[s].begin || e.start >= slices[s].end) continue;
      for (const auto& [node, pages] : e.node_pages) {
        std::uint64_t kb = pages * e.page_kb;
        out[s].kb_on[node] += kb;
        out[s].kb += kb;
      }
      break;
    }
  }
  return out;
}

}  // namespace

std::optional<double> LocalityCount::percent() const {
  if (counted_kb == 0) return std::nullopt;
  return 100.0 * static_cast<double>(local_kb) / static_cast<double>(counted_kb);
}

LocalityCount process_locality(const NumaMaps& maps, const std::vector<AddressRange>& slices,
                               const std::vector<ThreadCpu>& threads,
                               const std::vector<int>& memory_node_by_cpu) {
  LocalityCount out;
  auto slice_kb = residency(maps, slices);
  for (const auto& t : threads) {
    if (t.cpu < 0 || t.slice >= slice_kb.size()) continue;
    const auto& r = slice_kb[t.slice];
    int node = static_cast<std::size_t>(t.cpu) < memory_node_by_cpu.size()
                   ? memory_node_by_cpu[static_cast<std::size_t>(t.cpu)]
                   : -1;
    auto on = r.kb_on.find(node);
    out.local_kb += on == r.kb_on.end() ? 0 : on->second;
    out.counted_kb += r.kb;
  }
  return out;
}

}  // namespace numalab::workload
