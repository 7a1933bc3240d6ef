#pragma once
// How the confidence interval of a ratio is computed, and which way to recommend for a sample size.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace numalab::compare {

enum class IntervalMethod {
  bootstrap,  // percentile bootstrap over boots (bootstrap.hpp)
  welch,      // Fieller's interval on Welch's t test (welch.hpp)
  paired,     // the paired t test on within-slot log ratios (blocked_ratio.hpp): blocking by slot
};

std::string_view to_string(IntervalMethod m);  // "bootstrap", "welch", "paired"
// The methods one can ask for (--method): "bootstrap", "welch". "paired" is not asked for: it is
// what blocking by slot uses (blocking.hpp).
std::optional<IntervalMethod> interval_method_from_string(std::string_view s);

// Values per kernel from which the bootstrap is recommended; below, Welch. Measured on A/A
// simulations (1000 metrics each, 95 % intervals, share whose interval excluded 1; nominal 5 %):
//   n per side          5      10     20     30     50
//   normal   Welch     4.2 %  5.1 %  5.4 %  5.9 %  4.8 %
//            bootstrap 12.8 % 8.1 %  7.4 %  6.6 %  5.7 %
//   lognormal (sigma 0.6), Welch 2.8-5.4 %, bootstrap 5.4-11.9 %; bimodal (20 % of boots +30 %),
//   Welch 3.0-6.5 %, bootstrap 6.2-13.9 %.
// The percentile bootstrap is too narrow with few values whatever their shape, while Welch's
// interval holds its level even on skewed and bimodal values (it gets wide, or unbounded, instead).
// So Welch for the 3-20 boots a compare run usually has, the bootstrap from 50.
inline constexpr std::size_t k_bootstrap_min_n = 50;

struct MethodChoice {
  std::optional<IntervalMethod> method;  // nullopt: no interval possible (a side has < 2 values)
  std::string reason;                    // one sentence for the report
};

// The recommendation for n_baseline and n_other finite values.
MethodChoice recommend_method(std::size_t n_baseline, std::size_t n_other);

}  // namespace numalab::compare
