#include "compare/incomplete_beta.hpp"

#include <cmath>
#include <limits>

namespace numalab::compare {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_epsilon = 1e-15;
constexpr double k_tiny = 1e-300;  // keeps the Lentz recurrences away from a division by 0
constexpr int k_max_terms = 20000;

// x^a (1 - x)^b / (a B(a, b)), in logarithms so that large a and b do not overflow.
double front_factor(double x, double a, double b) {
  double log_beta = std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
  return std::exp(a * std::log(x) + b * std::log1p(-x) - log_beta) / a;
}

// The continued fraction of the incomplete beta function,
//   I_x(a, b) = front_factor * 1 / (1 + d1 / (1 + d2 / (1 + ...))),
//   d_{2m}   =  m (b - m) x / ((a + 2m - 1)(a + 2m)),
//   d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)),
// evaluated front to back with the modified Lentz method. It converges fast for
// x < (a + 1) / (a + b + 2); the caller uses the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) otherwise.
double continued_fraction(double x, double a, double b) {
  auto guard = [](double v) { return std::fabs(v) < k_tiny ? k_tiny : v; };
  double c = 1.0;
  double d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));  // the d1 term folded into the start
  double f = d;
  for (int m = 1; m <= k_max_terms; ++m) {
    double dm = static_cast<double>(m);
    double even = dm * (b - dm) * x / ((a + 2 * dm - 1) * (a + 2 * dm));
    d = 1.0 / guard(1.0 + even * d);
    c = guard(1.0 + even / c);
    f *= d * c;
    double odd = -(a + dm) * (a + b + dm) * x / ((a + 2 * dm) * (a + 2 * dm + 1));
    d = 1.0 / guard(1.0 + odd * d);
    c = guard(1.0 + odd / c);
    double step = d * c;
    f *= step;
    if (std::fabs(step - 1.0) < k_epsilon) break;
  }
  return f;
}

}  // namespace

double regularized_incomplete_beta(double x, double a, double b) {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1) || !std::isfinite(a) || !std::isfinite(b)) return k_nan;
  if (x == 0) return 0;
  if (x == 1) return 1;
  if (x < (a + 1) / (a + b + 2)) return front_factor(x, a, b) * continued_fraction(x, a, b);
  return 1.0 - front_factor(1.0 - x, b, a) * continued_fraction(1.0 - x, b, a);
}

}  // namespace numalab::compare
