#include "compare/sample_size.hpp"

#include <cmath>
#include <functional>
#include <limits>

#include "compare/student_t.hpp"

namespace numalab::compare {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr int k_simpson_intervals = 2000;  // even; the integrand is smooth: ~1e-10 absolute

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// The density of W = sqrt(V), V chi-squared with df degrees of freedom, at w >= 0.
double chi_density(double w, double df) {
  if (w <= 0) return df == 1 ? std::sqrt(2.0 / M_PI) : 0.0;
  const double log_f =
      (df - 1) * std::log(w) - w * w / 2 - (df / 2 - 1) * std::log(2.0) - std::lgamma(df / 2);
  return std::exp(log_f);
}

// The integral of f(w) times the chi density over W's range (its sd is below 0.71 for every df).
double expect_over_chi(double df, const std::function<double(double)>& f) {
  const double centre = std::sqrt(df);
  const double lo = std::max(0.0, centre - 12), hi = centre + 12;
  const double h = (hi - lo) / k_simpson_intervals;
  double sum = 0;
  for (int i = 0; i <= k_simpson_intervals; ++i) {
    const double w = lo + i * h;
    const double weight = i == 0 || i == k_simpson_intervals ? 1 : (i % 2 == 1 ? 4 : 2);
    sum += weight * f(w) * chi_density(w, df);
  }
  return sum * h / 3;
}

bool valid_goal(const PowerGoal& g) {
  return g.change > 0 && std::isfinite(g.change) && g.power > 0 && g.power < 1 && g.alpha > 0 && g.alpha < 1;
}

bool valid_sd(double s) { return std::isfinite(s) && s >= 0; }

// The smallest n >= 2 with power(n) >= goal, stepping from `guess` (power grows with n).
std::optional<std::size_t> smallest_n(double guess, const PowerGoal& goal,
                                      const std::function<double(std::size_t)>& power) {
  if (!(guess <= static_cast<double>(k_max_boots))) return std::nullopt;
  std::size_t n = std::max<std::size_t>(2, static_cast<std::size_t>(std::ceil(guess)));
  while (power(n) < goal.power)
    if (++n > k_max_boots) return std::nullopt;
  while (n > 2 && power(n - 1) >= goal.power) --n;
  return n;
}

double normal_guess(double variance_term, const PowerGoal& goal) {
  const double z =
      student_t_quantile(1 - goal.alpha / 2, INFINITY) + student_t_quantile(goal.power, INFINITY);
  const double delta = std::log1p(goal.change);
  return z * z * variance_term / (delta * delta);
}

}  // namespace

double noncentral_t_upper_tail(double t, double df, double lambda) {
  if (std::isnan(t) || std::isnan(lambda) || !(df > 0)) return k_nan;
  if (std::isinf(df)) return 1 - normal_cdf(t - lambda);
  // T' = (Z + lambda) / (W / sqrt(df)): P(T' > t) = E[P(Z > t W / sqrt(df) - lambda)].
  const double scale = 1 / std::sqrt(df);
  const double p = expect_over_chi(df, [&](double w) { return normal_cdf(lambda - t * w * scale); });
  return std::clamp(p, 0.0, 1.0);
}

double t_test_power(double lambda, double df, double alpha) {
  if (!(alpha > 0 && alpha < 1)) return k_nan;
  const double c = student_t_quantile(1 - alpha / 2, df);
  const double p = noncentral_t_upper_tail(c, df, lambda) + 1 - noncentral_t_upper_tail(-c, df, lambda);
  return std::isnan(p) ? k_nan : std::clamp(p, 0.0, 1.0);
}

std::optional<std::size_t> boots_needed_unblocked(double log_sd_baseline, double log_sd_other,
                                                  const PowerGoal& goal) {
  const double s_b = log_sd_baseline, s_o = log_sd_other;
  if (!valid_sd(s_b) || !valid_sd(s_o) || !valid_goal(goal)) return std::nullopt;
  const double v = s_b * s_b + s_o * s_o;
  if (v == 0) return 2;
  const double delta = std::log1p(goal.change);
  const double df_factor = v * v / (s_b * s_b * s_b * s_b + s_o * s_o * s_o * s_o);
  return smallest_n(normal_guess(v, goal), goal, [&](std::size_t n) {
    const double nd = static_cast<double>(n);
    return t_test_power(delta / std::sqrt(v / nd), (nd - 1) * df_factor, goal.alpha);
  });
}

std::optional<std::size_t> boots_needed_blocked(double log_sd_ratio, const PowerGoal& goal) {
  const double s_d = log_sd_ratio;
  if (!valid_sd(s_d) || !valid_goal(goal)) return std::nullopt;
  if (s_d == 0) return 2;
  const double delta = std::log1p(goal.change);
  return smallest_n(normal_guess(s_d * s_d, goal), goal, [&](std::size_t n) {
    const double nd = static_cast<double>(n);
    return t_test_power(delta * std::sqrt(nd) / s_d, nd - 1, goal.alpha);
  });
}

}  // namespace numalab::compare
