#include "compare/aa_noise.hpp"

namespace numalab::compare {

AaNoise aa_noise(std::span<const KernelComparison> comparisons) {
  AaNoise out;
  for (const auto& c : comparisons) {
    out.nominal = c.fdr_q;
    for (const auto& m : c.metrics) {
      if (!in_correction_family(m)) continue;
      ++out.tested;
      if (m.interval_excludes_one) ++out.interval_excludes_one;
      if (m.significant) ++out.flagged;
    }
  }
  if (out.tested > 0) {
    double tested = static_cast<double>(out.tested);
    out.raw_share = static_cast<double>(out.interval_excludes_one) / tested;
    out.flagged_share = static_cast<double>(out.flagged) / tested;
  }
  return out;
}

}  // namespace numalab::compare
