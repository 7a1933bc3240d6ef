#pragma once
// The noise of the machine, seen in A/A comparisons (a kernel against itself, fresh boots on both
// sides): how many metrics were flagged although nothing changed. After Benjamini-Hochberg the
// flagged share should stay at or below the nominal rate q; the raw share (intervals that exclude
// 1, before the correction) should be near 1 - level (5 % for 95 % intervals). Much more means
// the boots are not independent or the method's assumptions fail on this machine.

#include <cstddef>
#include <optional>
#include <span>

#include "compare/kernel_comparison.hpp"

namespace numalab::compare {

struct AaNoise {
  std::size_t tested = 0;                 // metrics with a p-value
  std::size_t interval_excludes_one = 0;  // before the correction
  std::size_t flagged = 0;                // significant after it
  std::optional<double> raw_share;        // interval_excludes_one / tested; nullopt when tested == 0
  std::optional<double> flagged_share;    // flagged / tested
  double nominal = k_default_fdr_q;       // the q of the comparisons
};

// Over the given comparisons (normally the A/A ones: KernelComparison::aa()).
AaNoise aa_noise(std::span<const KernelComparison> comparisons);

}  // namespace numalab::compare
