#include "compare/sample_summary.hpp"

#include <algorithm>
#include <cmath>

namespace numalab::compare {

std::vector<double> finite_values(std::span<const double> values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values)
    if (std::isfinite(v)) out.push_back(v);
  return out;
}

std::optional<double> arithmetic_mean(std::span<const double> finite) {
  if (finite.empty()) return std::nullopt;
  // Mean of v / n rather than sum / n: no overflow for values near the largest double.
  double mean = 0;
  double n = static_cast<double>(finite.size());
  for (double v : finite) mean += v / n;
  return mean;
}

std::optional<double> harmonic_mean(std::span<const double> finite) {
  if (finite.empty()) return std::nullopt;
  double reciprocal_mean = 0;
  double n = static_cast<double>(finite.size());
  for (double v : finite) {
    if (!(v > 0)) return std::nullopt;
    reciprocal_mean += (1.0 / v) / n;
  }
  return 1.0 / reciprocal_mean;
}

std::optional<double> mean_of(std::span<const double> finite, MeanKind kind) {
  return kind == MeanKind::harmonic ? harmonic_mean(finite) : arithmetic_mean(finite);
}

std::optional<double> sample_variance(std::span<const double> finite) {
  if (finite.size() < 2) return std::nullopt;
  double mean = *arithmetic_mean(finite);
  double sum_sq = 0;  // two passes: no cancellation when the spread is small against the mean
  for (double v : finite) sum_sq += (v - mean) * (v - mean);
  double variance = sum_sq / static_cast<double>(finite.size() - 1);
  if (!std::isfinite(variance)) return std::nullopt;
  return variance;
}

MeanKind usable_mean_kind(std::span<const double> values, MeanKind wanted) {
  if (wanted != MeanKind::harmonic) return wanted;
  for (double v : values)
    if (std::isfinite(v) && !(v > 0)) return MeanKind::arithmetic;
  return MeanKind::harmonic;
}

SampleSummary summarize(std::span<const double> values, MeanKind wanted) {
  SampleSummary s;
  for (double v : values) {
    if (std::isnan(v))
      ++s.nan_count;
    else if (std::isinf(v))
      ++s.infinite_count;
  }
  auto finite = finite_values(values);
  s.n = finite.size();
  s.mean_kind = usable_mean_kind(finite, wanted);
  if (finite.empty()) return s;
  s.mean = mean_of(finite, s.mean_kind);
  auto [lo, hi] = std::ranges::minmax(finite);
  s.min = lo;
  s.max = hi;
  if (auto variance = sample_variance(finite)) {
    s.stddev = std::sqrt(*variance);
    double arithmetic = *arithmetic_mean(finite);
    if (arithmetic != 0) s.cv = *s.stddev / std::fabs(arithmetic);
  }
  return s;
}

}  // namespace numalab::compare
