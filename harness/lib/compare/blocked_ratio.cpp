#include "compare/blocked_ratio.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "compare/log_scale.hpp"
#include "compare/sample_summary.hpp"
#include "compare/student_t.hpp"

namespace numalab::compare {

namespace {

// The values of one kernel in one slot.
struct SlotValues {
  std::vector<double> baseline, other;
};

void add(std::map<int, SlotValues>& slots, std::span<const double> values, std::span<const int> slot_of,
         bool baseline) {
  for (std::size_t i = 0; i < values.size() && i < slot_of.size(); ++i) {
    if (slot_of[i] < 0) continue;
    auto& s = slots[slot_of[i]];
    (baseline ? s.baseline : s.other).push_back(values[i]);
  }
}

bool usable(double v) { return std::isfinite(v) && v > 0; }

// A spread of the log ratios below this is rounding (a ratio CV of 1e-12), not noise.
constexpr double k_same_ratio = 1e-12;

}  // namespace

SlotPairs pair_by_slot(std::span<const double> baseline, std::span<const int> baseline_slots,
                       std::span<const double> other, std::span<const int> other_slots) {
  std::map<int, SlotValues> slots;
  add(slots, baseline, baseline_slots, true);
  add(slots, other, other_slots, false);
  SlotPairs out;
  for (const auto& [slot, v] : slots) {
    const bool nothing =
        std::all_of(v.baseline.begin(), v.baseline.end(), [](double x) { return std::isnan(x); }) &&
        std::all_of(v.other.begin(), v.other.end(), [](double x) { return std::isnan(x); });
    if (nothing) continue;  // absent on both kernels in this slot: nothing was left out
    if (v.baseline.size() == 1 && v.other.size() == 1 && usable(v.baseline[0]) && usable(v.other[0])) {
      out.baseline.push_back(v.baseline[0]);
      out.other.push_back(v.other[0]);
    } else {
      ++out.left_out;
    }
  }
  return out;
}

std::optional<BlockedRatio> blocked_ratio(const SlotPairs& pairs, double level) {
  if (!(level > 0 && level < 1)) level = 0.95;
  const std::size_t n = std::min(pairs.baseline.size(), pairs.other.size());
  if (n == 0) return std::nullopt;
  std::vector<double> d;
  d.reserve(n);
  for (std::size_t i = 0; i < n; ++i) d.push_back(std::log(pairs.other[i] / pairs.baseline[i]));
  auto mean = arithmetic_mean(d);
  if (!mean || !std::isfinite(*mean)) return std::nullopt;
  BlockedRatio out;
  out.slots = n;
  out.slots_left_out = pairs.left_out;
  out.ratio = std::exp(*mean);
  if (!std::isfinite(out.ratio)) return std::nullopt;
  const auto variance = sample_variance(d);
  if (!variance) return out;  // one slot: a ratio, no interval
  out.log_sd = std::sqrt(*variance);
  out.ratio_cv = cv_of_log_sd(*out.log_sd);
  if (*out.log_sd <= k_same_ratio) {  // every slot gave the same ratio, to rounding
    out.ratio_interval = Interval{out.ratio, out.ratio};
    out.p_value = *mean == 0 ? 1.0 : 0.0;
    return out;
  }
  const double df = static_cast<double>(n - 1);
  const double se = *out.log_sd / std::sqrt(static_cast<double>(n));
  const double t = student_t_quantile((1.0 + level) / 2.0, df);
  out.ratio_interval = Interval{std::exp(*mean - t * se), std::exp(*mean + t * se)};
  out.p_value = two_sided_p_value(*mean / se, df);
  return out;
}

}  // namespace numalab::compare
