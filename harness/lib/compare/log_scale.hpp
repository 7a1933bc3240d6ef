#pragma once
// The coefficient of variation of a positive quantity and the standard deviation of its logarithm,
// one into the other as for a lognormal value: sd(ln X)^2 = ln(1 + cv^2). For small spreads the two
// are about equal (a CV of 10 % is a log sd of 0.0998).

#include <cmath>

namespace numalab::compare {

inline double log_sd_of_cv(double cv) { return std::sqrt(std::log1p(cv * cv)); }
inline double cv_of_log_sd(double log_sd) { return std::sqrt(std::expm1(log_sd * log_sd)); }

}  // namespace numalab::compare
