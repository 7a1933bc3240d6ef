#pragma once
// How numalab repro says how often a bug reproduced, and how fast.

#include <string>
#include <vector>

namespace numalab::bundle {

// "reproduced 2 of 2 (100 %, 95 % CI 34–100 %, Wilson)"
std::string format_reproduction_rate(int hits, int runs);

// "time to failure: 17.0 s, 17.4 s (mean 17.2 s)"; "" without any.
std::string format_failure_times(const std::vector<double>& seconds);

}  // namespace numalab::bundle
