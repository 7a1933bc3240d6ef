#pragma once
// Student's t distribution with df > 0 degrees of freedom. df need not be an integer (Welch's
// degrees of freedom are not); df = +inf is the standard normal distribution.
// Every function is total: NaN in, or df <= 0, gives NaN.

namespace numalab::compare {

double student_t_upper_tail(double t, double df);  // P(T > t)
double student_t_cdf(double t, double df);         // P(T <= t)

// The quantile: the t with P(T <= t) = p, for p in (0, 1); -inf at 0, +inf at 1, NaN outside.
// Found by bisection on the distribution function, to ~1e-12 relative.
double student_t_quantile(double p, double df);

// The two-sided p-value of an observed t: P(|T| >= |t|).
double two_sided_p_value(double t, double df);

}  // namespace numalab::compare
