#include "compare/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "compare/sample_summary.hpp"

namespace numalab::compare {

namespace {

void resample(std::span<const double> from, std::vector<double>& into, std::mt19937_64& generator) {
  into.resize(from.size());
  for (auto& v : into) v = from[generator() % from.size()];
}

double ratio_of(std::optional<double> other_mean, std::optional<double> baseline_mean) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (!other_mean || !baseline_mean) return std::numeric_limits<double>::quiet_NaN();
  if (*baseline_mean != 0) return *other_mean / *baseline_mean;
  if (*other_mean > 0) return inf;
  if (*other_mean < 0) return -inf;
  return std::numeric_limits<double>::quiet_NaN();
}

// The p quantile of sorted values, interpolating linearly between order statistics. When a
// neighbour is infinite, the nearer order statistic.
double quantile(const std::vector<double>& sorted, double p) {
  double h = p * static_cast<double>(sorted.size() - 1);
  auto i = static_cast<std::size_t>(std::floor(h));
  double w = h - static_cast<double>(i);
  if (i + 1 >= sorted.size() || w == 0) return sorted[i];
  double a = sorted[i], b = sorted[i + 1];
  if (!std::isfinite(a) || !std::isfinite(b)) return w < 0.5 ? a : b;
  return a + w * (b - a);
}

double two_sided_share(const std::vector<double>& ratios) {
  double below = 0, above = 0;
  for (double r : ratios) {
    if (r < 1)
      below += 1;
    else if (r > 1)
      above += 1;
    else {
      below += 0.5;
      above += 0.5;
    }
  }
  double n = static_cast<double>(ratios.size());
  double p = 2.0 * (std::min(below, above) + 0.5) / (n + 1.0);
  return std::min(p, 1.0);
}

}  // namespace

std::uint64_t metric_seed(std::uint64_t seed, std::string_view metric_name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, 64 bits
  for (unsigned char c : metric_name) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return seed ^ hash;
}

std::optional<BootstrapRatio> bootstrap_ratio(std::span<const double> baseline, std::span<const double> other,
                                              MeanKind kind, const BootstrapOptions& options) {
  auto base = finite_values(baseline);
  auto oth = finite_values(other);
  if (base.size() < 2 || oth.size() < 2) return std::nullopt;
  double level = options.level > 0 && options.level < 1 ? options.level : 0.95;
  std::size_t rounds = std::clamp(options.resamples, k_min_resamples, k_max_resamples);

  std::mt19937_64 generator(options.seed);
  std::vector<double> ratios, base_draw, other_draw;
  ratios.reserve(rounds);
  BootstrapRatio out;
  out.resamples = rounds;
  for (std::size_t r = 0; r < rounds; ++r) {
    resample(base, base_draw, generator);
    resample(oth, other_draw, generator);
    double ratio = ratio_of(mean_of(other_draw, kind), mean_of(base_draw, kind));
    if (std::isnan(ratio))
      ++out.undefined;
    else
      ratios.push_back(ratio);
  }
  if (ratios.empty()) return std::nullopt;
  std::ranges::sort(ratios);
  out.interval = {quantile(ratios, (1.0 - level) / 2.0), quantile(ratios, (1.0 + level) / 2.0)};
  out.p_value = two_sided_share(ratios);
  return out;
}

}  // namespace numalab::compare
