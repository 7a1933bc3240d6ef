#pragma once
// The sign convention of every comparison table, in one place, and what a change is called.
//
// ratio = mean(other kernel) / mean(baseline kernel), always available raw.
// percent_better: + means the other kernel is better by that much, as in mmtests's tables:
//   better = higher:  (ratio - 1) * 100   +10 % = the other kernel's mean is 10 % higher
//   better = lower:   (1 - ratio) * 100   +10 % = the other kernel's mean is 10 % lower
//   better = none:    (ratio - 1) * 100   the plain change, no judgement
// oriented_ratio, for geometric means: > 1 is better (ratio for higher, 1 / ratio for lower).

#include <optional>
#include <string_view>

#include "model/metric_direction.hpp"

namespace numalab::compare {

using model::Better;

double percent_better(double ratio, Better better);

// nullopt for better = none and for a ratio that is not finite and > 0.
std::optional<double> oriented_ratio(double ratio, Better better);

// What a compared metric did.
enum class Change {
  not_significant,  // compared; no change that survives the test
  gain,             // significant, in the metric's better direction
  regression,       // significant, against it
  changed,          // significant, the metric has no better direction
  not_compared,     // absent on a side, one boot, or the ratio is undefined: see the note
};

std::string_view to_string(Change c);  // "not significant", "gain", "regression", "changed", "not compared"

Change classify_change(bool significant, double ratio, Better better);

}  // namespace numalab::compare
