#pragma once
// How many boots per kernel a change of a given size needs to be found, from the noise measured.
//
// The change is a ratio 1 + change (10 %: 1.10), on the log scale delta = ln(1 + change); the test
// is two-sided at alpha. The power of a t test with df degrees of freedom and noncentrality lambda
// is P(|T'| > t_{1 - alpha/2, df}), T' the noncentral t (computed exactly here, not with the
// normal approximation, which promises 4 boots where 6 are needed). Boots per kernel n:
//   unblocked  two independent samples of log values with sds s_b, s_o (log_sd_of_cv of each
//              kernel's CV): lambda = delta / sqrt((s_b^2 + s_o^2) / n), Welch-Satterthwaite
//              df = (n - 1) (s_b^2 + s_o^2)^2 / (s_b^4 + s_o^4) (2n - 2 when s_b = s_o);
//   blocked    n slots, the paired t test on within-slot log ratios of sd s_d:
//              lambda = delta sqrt(n) / s_d, df = n - 1.
// n is the smallest with power >= the goal, found by stepping from the normal approximation.
// The Benjamini-Hochberg correction over many metrics asks a smaller p of each than alpha: the
// numbers are what one metric tested alone needs, a lower bound for a whole lab.

#include <cstddef>
#include <optional>

namespace numalab::compare {

struct PowerGoal {
  double change = 0.10;  // the relative change to find (0.10: 10 %)
  double power = 0.80;   // the chance of finding it
  double alpha = 0.05;   // two-sided
};

// Beyond this the answer is "more than that": such a metric cannot be compared by boots.
inline constexpr std::size_t k_max_boots = 100000;

// P(T' > t) for the noncentral t with df > 0 degrees of freedom and noncentrality lambda; NaN for
// invalid arguments.
double noncentral_t_upper_tail(double t, double df, double lambda);

// The power of the two-sided t test at alpha: P(T' > c) + P(T' < -c), c = t_{1 - alpha/2, df}.
double t_test_power(double lambda, double df, double alpha);

// Boots per kernel (>= 2); nullopt when an sd is not finite and >= 0, the goal is not in range
// (change > 0, power and alpha in (0, 1)), or more than k_max_boots would be needed.
std::optional<std::size_t> boots_needed_unblocked(double log_sd_baseline, double log_sd_other,
                                                  const PowerGoal& goal);
std::optional<std::size_t> boots_needed_blocked(double log_sd_ratio, const PowerGoal& goal);

}  // namespace numalab::compare
