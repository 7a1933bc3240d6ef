#include "bundle/wilson_interval.hpp"

#include <algorithm>
#include <cmath>

namespace numalab::bundle {

Proportion wilson_interval(int hits, int runs, double z) {
  if (runs <= 0) return {0, 0, 1};
  const double n = runs;
  const double p = std::clamp(hits, 0, runs) / n;
  const double z2 = z * z;
  const double denominator = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denominator;
  const double half = z / denominator * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  // At 0 of n the lower bound is 0 and at n of n the upper is 1 exactly; rounding would leave 1e-17.
  return {p, hits <= 0 ? 0.0 : std::max(0.0, centre - half),
          hits >= runs ? 1.0 : std::min(1.0, centre + half)};
}

}  // namespace numalab::bundle
