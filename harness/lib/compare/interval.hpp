#pragma once
// A confidence interval. An unbounded end is -inf or +inf.

#include <cmath>
#include <limits>

namespace numalab::compare {

struct Interval {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();

  bool contains(double v) const { return low <= v && v <= high; }
  bool excludes(double v) const { return v < low || v > high; }
  bool bounded() const { return std::isfinite(low) && std::isfinite(high); }
  bool operator==(const Interval&) const = default;
};

}  // namespace numalab::compare
