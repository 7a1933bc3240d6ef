#pragma once
// The bootstrap over boots: the confidence interval of mean(other) / mean(baseline) with no
// assumption about the shape of the values' distribution.
//
// Each of `resamples` rounds draws n values with replacement from each kernel's values (the
// baseline's first, then the other's) and takes the ratio of the two means (harmonic for rates).
// The interval is the percentile interval: the (1 - level) / 2 and (1 + level) / 2 quantiles of
// those ratios (linear interpolation between order statistics). The p-value is two-sided: with k
// the number of the B resampled ratios on the minority side of 1 (a ratio of exactly 1 counts half
// on each side), p = min(1, (2 k + 1) / (B + 1)): twice the share, never exactly 0.
//
// The generator is std::mt19937_64 with the seed given, and indices are drawn as
// generator() % n (the bias, n / 2^64, is nothing here), so a result is the same on every machine
// and every run. Percentile intervals are too narrow with few values (with 5 per side a 95 %
// interval misses an unchanged ratio about 13 % of the time, not 5 %): see interval_method.hpp.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "compare/interval.hpp"
#include "compare/metric_unit.hpp"

namespace numalab::compare {

inline constexpr std::uint64_t k_default_seed = 0x6e756d616c616221ULL;  // "numalab!"
inline constexpr std::size_t k_default_resamples = 2000;
inline constexpr std::size_t k_min_resamples = 100;
inline constexpr std::size_t k_max_resamples = 1'000'000;

struct BootstrapOptions {
  std::size_t resamples = k_default_resamples;  // clamped to [k_min_resamples, k_max_resamples]
  std::uint64_t seed = k_default_seed;
  double level = 0.95;
};

struct BootstrapRatio {
  Interval interval;
  double p_value = 1;
  std::size_t resamples = 0;  // rounds drawn
  std::size_t undefined = 0;  // rounds left out: both resampled means were 0 (0 / 0)
};

// A seed of its own for one metric: `seed` mixed with the metric's name (FNV-1a), so that a
// metric's result depends neither on the order of the metrics nor on which others were compared.
std::uint64_t metric_seed(std::uint64_t seed, std::string_view metric_name);

// nullopt when a side has fewer than 2 finite values or no round gave a defined ratio.
// A round whose baseline mean is 0 gives +-inf (kept: the interval is then unbounded on that side).
std::optional<BootstrapRatio> bootstrap_ratio(std::span<const double> baseline, std::span<const double> other,
                                              MeanKind kind, const BootstrapOptions& options);

}  // namespace numalab::compare
