#pragma once
// The comparison's results as JSON, for the --json summary, the store and the report writers.
// An undefined value (a nullopt, an infinite interval end) is null; every member is always there.

#include <nlohmann/json.hpp>

#include "compare/aa_noise.hpp"
#include "compare/kernel_comparison.hpp"

namespace numalab::compare {

nlohmann::json to_json(const SampleSummary& s);
nlohmann::json to_json(const RatioEstimate& e);
nlohmann::json to_json(const BlockedRatio& b);
nlohmann::json to_json(const MetricNoise& n);
nlohmann::json to_json(const MetricComparison& m);
nlohmann::json to_json(const WorkloadSummary& w);
nlohmann::json to_json(const KernelComparison& c);
nlohmann::json to_json(const AaNoise& n);

}  // namespace numalab::compare
