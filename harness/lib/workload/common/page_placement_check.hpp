#pragma once
// Comparing where pages are with where they must be. A page's "status" is what move_pages(2) says
// about it: its node (>= 0) or a negative errno (-ENOENT: not present, -EFAULT: not mapped or the
// zero page, -EACCES: shared and MPOL_MF_MOVE_ALL not given, -EBUSY: could not be isolated, ...).

#include <climits>
#include <cstddef>
#include <string>
#include <vector>

namespace numalab::workload {

// Put in a status array before move_pages: a status the kernel did not write (it stops storing
// statuses when a batch fails) stays at this value.
inline constexpr int k_status_not_written = INT_MIN;

struct MisplacedPage {
  std::size_t page = 0;  // index in the buffer
  int expected = -1;     // the node it must be on
  int status = 0;        // its node, or a negative errno, or k_status_not_written

  bool operator==(const MisplacedPage&) const = default;
};

struct PlacementCheck {
  std::size_t wrong = 0;                // pages whose status is not their expected node
  std::vector<MisplacedPage> examples;  // the first few of them, by page index
};

// expected[i] against status[i]; a status array shorter than expected counts the missing pages as
// not written. At most `examples` misplaced pages are kept.
PlacementCheck check_placement(const std::vector<int>& expected, const std::vector<int>& status,
                               std::size_t examples = 3);

// "page 17 expected on node 1, is on node 0", "page 17 expected on node 1, status -16 (Device or
// resource busy)", "page 17 expected on node 1, no status (move_pages stopped before it)".
std::string describe(const MisplacedPage& page);

// The examples joined with "; ", and "(and N more)" when there are more wrong pages.
std::string describe(const PlacementCheck& check);

}  // namespace numalab::workload
