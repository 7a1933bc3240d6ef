#pragma once
// The Benjamini-Hochberg procedure: which of many tests to reject while keeping the expected share
// of false discoveries among the rejected at most q.
//
// With the m p-values sorted, p_(1) <= ... <= p_(m), find the largest k with p_(k) <= k q / m and
// reject the tests of p_(1) .. p_(k). A NaN p-value is a test that was not made: it is never
// rejected and does not count in m.

#include <span>
#include <vector>

namespace numalab::compare {

inline constexpr double k_default_fdr_q = 0.05;

// rejected[i] is true when p_values[i] is rejected at false discovery rate q.
std::vector<bool> benjamini_hochberg(std::span<const double> p_values, double q = k_default_fdr_q);

}  // namespace numalab::compare
