#pragma once
// The longest time during which none of a set of progress counters moved: the swap workload
// observes its counters (hog pages done, pswpout, pswpin, NFS RPC calls) once a second. A gap is
// what the observations show for sure: from the one where a counter last moved to the last one
// where none had (counters that move at every observation give 0). It only measures; the host
// decides whether a frozen guest is a hang.

#include <cstdint>
#include <span>
#include <vector>

namespace numalab::workload {

class ProgressGap {
 public:
  // The counters' values at at_s seconds (non-decreasing). The first observation starts the clock.
  void observe(double at_s, std::span<const std::uint64_t> counters);
  double max_gap_s() const { return max_gap_s_; }
  double current_gap_s() const { return current_gap_s_; }

 private:
  std::vector<std::uint64_t> last_;
  double last_move_s_ = 0;
  double max_gap_s_ = 0;
  double current_gap_s_ = 0;
  bool started_ = false;
};

}  // namespace numalab::workload
