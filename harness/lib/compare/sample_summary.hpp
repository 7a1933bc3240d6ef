#pragma once
// One metric on one kernel over its repetitions (one value per boot): n, mean, standard
// deviation, coefficient of variation, min and max.
//
// NaN is "the counter was absent in that boot": excluded and counted. An infinity is not a
// measurement either: excluded and counted apart. A metric with no finite value left is absent,
// never 0: every statistic is then nullopt.

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "compare/metric_unit.hpp"

namespace numalab::compare {

struct SampleSummary {
  std::size_t n = 0;               // finite values summarised
  std::size_t nan_count = 0;       // NaN values (absent counter) left out
  std::size_t infinite_count = 0;  // +-inf values left out
  // The mean used: a harmonic mean asked for a sample with a value <= 0 falls back to the
  // arithmetic mean (a harmonic mean of rates with a 0 in them is 0 whatever the other boots did;
  // of negative values it means nothing).
  MeanKind mean_kind = MeanKind::arithmetic;
  std::optional<double> mean;    // nullopt when absent
  std::optional<double> stddev;  // sample standard deviation (n - 1); nullopt when n < 2
  // stddev / |arithmetic mean| (also for rates: the spread of the values themselves); nullopt
  // when n < 2 or the arithmetic mean is 0.
  std::optional<double> cv;
  std::optional<double> min, max;  // nullopt when absent

  bool absent() const { return n == 0; }
};

// The finite values of `values`, in order.
std::vector<double> finite_values(std::span<const double> values);

// Means of finite values; nullopt when empty (and, for the harmonic mean, when a value is <= 0).
std::optional<double> arithmetic_mean(std::span<const double> finite);
std::optional<double> harmonic_mean(std::span<const double> finite);
std::optional<double> mean_of(std::span<const double> finite, MeanKind kind);

// The sample variance (n - 1) of finite values; nullopt when fewer than 2.
std::optional<double> sample_variance(std::span<const double> finite);

// The kind of mean a sample gets: `wanted`, unless it is harmonic and a finite value is <= 0.
MeanKind usable_mean_kind(std::span<const double> values, MeanKind wanted);

SampleSummary summarize(std::span<const double> values, MeanKind wanted);

}  // namespace numalab::compare
