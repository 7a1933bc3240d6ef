#pragma once
// A confidence interval. An unbounded end is -inf or +inf.

#include <cmath>

namespace numalab::compare {

struct Interval {
  double low = -INFINITY;
  double high = INFINITY;

  bool contains(double v) const { return low <= v && v <= high; }
  bool excludes(double v) const { return v < low || v > high; }
  bool bounded() const { return std::isfinite(low) && std::isfinite(high); }
  bool operator==(const Interval&) const = default;
};

}  // namespace numalab::compare
