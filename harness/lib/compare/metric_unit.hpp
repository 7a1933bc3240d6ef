#pragma once
// Which mean summarises a metric's values over boots, decided by its unit in one place.

#include <string_view>

namespace numalab::compare {

enum class MeanKind { arithmetic, harmonic };

std::string_view to_string(MeanKind k);  // "arithmetic", "harmonic"

// A rate is "work per second": its unit ends in "/s" ("MB/s", "pages/s", "ops/s", "faults/s").
// Rates are averaged with the harmonic mean. Each boot does the same work W in a time t_i and
// reports r_i = W / t_i; the rate of all boots together, n W / sum(t_i), is the harmonic mean of
// the r_i, while the arithmetic mean of rates over-weights the fast boots.
bool is_rate(std::string_view unit);

MeanKind mean_kind_for_unit(std::string_view unit);

}  // namespace numalab::compare
