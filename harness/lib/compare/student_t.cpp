#include "compare/student_t.hpp"

#include <cmath>
#include <limits>

#include "compare/incomplete_beta.hpp"

namespace numalab::compare {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_inf = std::numeric_limits<double>::infinity();
// Beyond this the t distribution and the normal agree to ~1e-8, and the incomplete beta's
// continued fraction would need many terms.
constexpr double k_normal_df = 1e7;

bool valid_df(double df) { return df > 0; }  // false for NaN too; +inf is valid

// P(T > t) for t >= 0: P(|T| > t) = I_{df / (df + t^2)}(df / 2, 1 / 2), half of it on each side.
double upper_tail_nonnegative(double t, double df) {
  if (df >= k_normal_df) return 0.5 * std::erfc(t / std::sqrt(2.0));
  if (std::isinf(t)) return 0;
  double x = df / (df + t * t);
  return 0.5 * regularized_incomplete_beta(x, df / 2, 0.5);
}

// The t >= 0 with P(T > t) = q, for q in (0, 0.5].
double upper_quantile(double q, double df) {
  double lo = 0, hi = 1;
  while (upper_tail_nonnegative(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (!std::isfinite(hi)) return k_inf;
  }
  for (int i = 0; i < 400 && hi - lo > 1e-13 * hi; ++i) {
    double mid = lo + (hi - lo) / 2;
    if (upper_tail_nonnegative(mid, df) > q)
      lo = mid;
    else
      hi = mid;
  }
  return lo + (hi - lo) / 2;
}

}  // namespace

double student_t_upper_tail(double t, double df) {
  if (std::isnan(t) || !valid_df(df)) return k_nan;
  return t >= 0 ? upper_tail_nonnegative(t, df) : 1.0 - upper_tail_nonnegative(-t, df);
}

double student_t_cdf(double t, double df) {
  if (std::isnan(t) || !valid_df(df)) return k_nan;
  return t >= 0 ? 1.0 - upper_tail_nonnegative(t, df) : upper_tail_nonnegative(-t, df);
}

double student_t_quantile(double p, double df) {
  if (std::isnan(p) || !valid_df(df) || p < 0 || p > 1) return k_nan;
  if (p == 0) return -k_inf;
  if (p == 1) return k_inf;
  if (p == 0.5) return 0;
  return p > 0.5 ? upper_quantile(1.0 - p, df) : -upper_quantile(p, df);
}

double two_sided_p_value(double t, double df) {
  if (std::isnan(t) || !valid_df(df)) return k_nan;
  double p = 2.0 * upper_tail_nonnegative(std::fabs(t), df);
  return p > 1 ? 1 : p;
}

}  // namespace numalab::compare
