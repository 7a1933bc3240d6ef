#pragma once
// Welch's t test (two independent samples, variances not assumed equal) and the confidence
// interval of a ratio of two means built on it.
//
// The ratio interval is Fieller's: the set of ratios rho for which Welch's test of
// "mean(numerator) - rho * mean(denominator) = 0" is not rejected, i.e. the rho with
//   (m1 - rho m2)^2 <= t^2 (v1 + rho^2 v2),   v = s^2 / n, t = Student's quantile at (1 + level) / 2,
// with the Welch-Satterthwaite degrees of freedom of m1 - rho m2 evaluated at rho = m1 / m2.
// Fieller rather than the delta method: it is exact for normal samples, asymmetric like the
// uncertainty of a ratio really is, and it says honestly when the denominator's mean cannot be
// told apart from 0 (the interval is then unbounded) instead of returning a misleading +-.

#include <cstddef>
#include <optional>
#include <span>

#include "compare/interval.hpp"

namespace numalab::compare {

struct MeanEstimate {
  double mean = 0;
  double variance = 0;  // sample variance (n - 1)
  std::size_t n = 0;
};

// From finite values; nullopt when fewer than 2 (no variance) or a sum overflows.
std::optional<MeanEstimate> estimate(std::span<const double> finite);

struct WelchTest {
  double t = 0;        // (mean(a) - mean(b)) / sqrt(var(a)/n(a) + var(b)/n(b))
  double df = 0;       // Welch-Satterthwaite
  double p_value = 1;  // two-sided
};

// nullopt when a side has n < 2 or both variances are 0 (no test: see kernel_comparison.hpp for
// the rule that decides those cases).
std::optional<WelchTest> welch_test(const MeanEstimate& a, const MeanEstimate& b);

// Fieller's interval of mean(numerator) / mean(denominator) at `level` (e.g. 0.95). nullopt in the
// cases welch_test has none. When mean(denominator) is not significantly different from 0 at
// that level the interval is unbounded: (-inf, +inf).
std::optional<Interval> fieller_interval(const MeanEstimate& numerator, const MeanEstimate& denominator,
                                         double level);

}  // namespace numalab::compare
