#include "compare/benjamini_hochberg.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>

namespace numalab::compare {

std::vector<bool> benjamini_hochberg(std::span<const double> p_values, double q) {
  std::vector<bool> rejected(p_values.size(), false);
  std::vector<std::size_t> tested;
  for (std::size_t i = 0; i < p_values.size(); ++i)
    if (!std::isnan(p_values[i])) tested.push_back(i);
  if (tested.empty() || !(q > 0)) return rejected;
  std::ranges::stable_sort(tested, [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });

  double m = static_cast<double>(tested.size());
  std::size_t reject_count = 0;  // the largest k with p_(k) <= k q / m
  for (std::size_t k = 1; k <= tested.size(); ++k)
    if (p_values[tested[k - 1]] <= static_cast<double>(k) * q / m) reject_count = k;
  for (std::size_t k = 0; k < reject_count; ++k) rejected[tested[k]] = true;
  return rejected;
}

}  // namespace numalab::compare
