#include "workload/common/page_placement_check.hpp"

#include <cstring>

namespace numalab::workload {

PlacementCheck check_placement(const std::vector<int>& expected, const std::vector<int>& status,
                               std::size_t examples) {
  PlacementCheck check;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    int seen = i < status.size() ? status[i] : k_status_not_written;
    if (seen == expected[i]) continue;
    ++check.wrong;
    if (check.examples.size() < examples) check.examples.push_back({i, expected[i], seen});
  }
  return check;
}

std::string describe(const MisplacedPage& page) {
  std::string out =
      "page " + std::to_string(page.page) + " expected on node " + std::to_string(page.expected);
  if (page.status >= 0) return out + ", is on node " + std::to_string(page.status);
  if (page.status == k_status_not_written) return out + ", no status (move_pages stopped before it)";
  return out + ", status " + std::to_string(page.status) + " (" + std::strerror(-page.status) + ")";
}

std::string describe(const PlacementCheck& check) {
  std::string out;
  for (const auto& p : check.examples) out += (out.empty() ? "" : "; ") + describe(p);
  if (check.wrong > check.examples.size())
    out += " (and " + std::to_string(check.wrong - check.examples.size()) + " more)";
  return out;
}

}  // namespace numalab::workload
