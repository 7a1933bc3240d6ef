#include "compare/welch.hpp"

#include <cmath>

#include "compare/sample_summary.hpp"
#include "compare/student_t.hpp"

namespace numalab::compare {

namespace {

bool testable(const MeanEstimate& a, const MeanEstimate& b) {
  return a.n >= 2 && b.n >= 2 && std::isfinite(a.mean) && std::isfinite(b.mean) && a.variance >= 0 &&
         b.variance >= 0 && std::isfinite(a.variance) && std::isfinite(b.variance) &&
         (a.variance > 0 || b.variance > 0);
}

// Welch-Satterthwaite: the degrees of freedom of u1 + u2, where u_i = (weight of sample i)^2 var_i / n_i.
// A term of 0 leaves the other's n - 1 (also the limit of the formula).
double satterthwaite_df(double u1, std::size_t n1, double u2, std::size_t n2) {
  if (u1 == 0) return static_cast<double>(n2 - 1);
  if (u2 == 0) return static_cast<double>(n1 - 1);
  double denominator = u1 * u1 / static_cast<double>(n1 - 1) + u2 * u2 / static_cast<double>(n2 - 1);
  return (u1 + u2) * (u1 + u2) / denominator;
}

}  // namespace

std::optional<MeanEstimate> estimate(std::span<const double> finite) {
  auto mean = arithmetic_mean(finite);
  auto variance = sample_variance(finite);
  if (!mean || !variance || !std::isfinite(*mean)) return std::nullopt;
  return MeanEstimate{*mean, *variance, finite.size()};
}

std::optional<WelchTest> welch_test(const MeanEstimate& a, const MeanEstimate& b) {
  if (!testable(a, b)) return std::nullopt;
  double u1 = a.variance / static_cast<double>(a.n);
  double u2 = b.variance / static_cast<double>(b.n);
  WelchTest w;
  w.t = (a.mean - b.mean) / std::sqrt(u1 + u2);
  w.df = satterthwaite_df(u1, a.n, u2, b.n);
  w.p_value = two_sided_p_value(w.t, w.df);
  if (!std::isfinite(w.t) || std::isnan(w.p_value)) return std::nullopt;
  return w;
}

std::optional<Interval> fieller_interval(const MeanEstimate& numerator, const MeanEstimate& denominator,
                                         double level) {
  if (!testable(numerator, denominator) || !(level > 0 && level < 1)) return std::nullopt;
  double m1 = numerator.mean, m2 = denominator.mean;
  double v1 = numerator.variance / static_cast<double>(numerator.n);
  double v2 = denominator.variance / static_cast<double>(denominator.n);
  double rho = m2 != 0 ? m1 / m2 : 1.0;
  double df = satterthwaite_df(v1, numerator.n, rho * rho * v2, denominator.n);
  double t = student_t_quantile((1.0 + level) / 2.0, df);
  double t2 = t * t;
  // (m1 - rho m2)^2 - t^2 (v1 + rho^2 v2) <= 0 is a quadratic in rho with leading coefficient
  // a = m2^2 - t^2 v2 and roots (m1 m2 +- t sqrt(m1^2 v2 + m2^2 v1 - t^2 v1 v2)) / a.
  double a = m2 * m2 - t2 * v2;
  if (!(a > 0)) return Interval{};  // the denominator's mean is not told apart from 0: unbounded
  double spread = m1 * m1 * v2 + m2 * m2 * v1 - t2 * v1 * v2;  // >= m1^2 v2 >= 0 when a > 0
  double half_width = t * std::sqrt(spread > 0 ? spread : 0.0);
  Interval out{(m1 * m2 - half_width) / a, (m1 * m2 + half_width) / a};
  if (!std::isfinite(out.low) || !std::isfinite(out.high)) return Interval{};
  return out;
}

}  // namespace numalab::compare
