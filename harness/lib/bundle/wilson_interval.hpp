#pragma once
// The Wilson score interval of a binomial proportion: how often a bug reproduces, from k hits in n
// runs. Unlike k/n ± z·se it stays inside [0, 1] and is useful at 0 of n and n of n.

namespace numalab::bundle {

struct Proportion {
  double estimate = 0;  // k / n
  double low = 0;
  double high = 1;
};

inline constexpr double k_z_95 = 1.959963984540054;  // two-sided 95 %

// hits <= runs, runs >= 1; with runs == 0 the interval is [0, 1].
Proportion wilson_interval(int hits, int runs, double z = k_z_95);

}  // namespace numalab::bundle
