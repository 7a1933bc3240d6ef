#pragma once
// The regularized incomplete beta function I_x(a, b), the building block of Student's t
// distribution.

namespace numalab::compare {

// I_x(a, b) = B(x; a, b) / B(a, b) for a > 0, b > 0 and x in [0, 1]; NaN for anything else.
// Accurate to about 1e-14 relative where it converges (a and b up to ~1e7).
double regularized_incomplete_beta(double x, double a, double b);

}  // namespace numalab::compare
