#include "workload/swap_nfs/progress_gap.hpp"

#include <algorithm>

namespace numalab::workload {

void ProgressGap::observe(double at_s, std::span<const std::uint64_t> counters) {
  const bool moved = !started_ || !std::equal(counters.begin(), counters.end(), last_.begin(), last_.end());
  if (moved) {
    last_.assign(counters.begin(), counters.end());
    last_move_s_ = at_s;
    started_ = true;
  }
  current_gap_s_ = std::max(0.0, at_s - last_move_s_);
  max_gap_s_ = std::max(max_gap_s_, current_gap_s_);
}

}  // namespace numalab::workload
