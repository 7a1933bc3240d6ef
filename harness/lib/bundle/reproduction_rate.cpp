#include "bundle/reproduction_rate.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numeric>

#include "bundle/wilson_interval.hpp"

namespace numalab::bundle {

std::string format_reproduction_rate(int hits, int runs) {
  const auto p = wilson_interval(hits, runs);
  const auto pct = [](double x) { return std::lround(x * 100); };
  return fmt::format("reproduced {} of {} ({} %, 95 % CI {}–{} %, Wilson)", hits, runs, pct(p.estimate),
                     pct(p.low), pct(p.high));
}

std::string format_failure_times(const std::vector<double>& seconds) {
  if (seconds.empty()) return "";
  std::string out = "time to failure: ";
  for (std::size_t i = 0; i < seconds.size(); ++i)
    out += fmt::format("{}{:.1f} s", i ? ", " : "", seconds[i]);
  const double mean =
      std::accumulate(seconds.begin(), seconds.end(), 0.0) / static_cast<double>(seconds.size());
  return out + fmt::format(" (mean {:.1f} s)", mean);
}

}  // namespace numalab::bundle
