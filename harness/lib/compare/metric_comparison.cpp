#include "compare/metric_comparison.hpp"

#include <cmath>

#include "compare/bootstrap.hpp"
#include "compare/welch.hpp"

namespace numalab::compare {

namespace {

void add_note(MetricComparison& c, const std::string& text) {
  if (!c.note.empty()) c.note += "; ";
  c.note += text;
}

void note_left_out(MetricComparison& c, std::string_view side, const SampleSummary& s) {
  std::size_t boots = s.n + s.nan_count + s.infinite_count;
  if (s.nan_count > 0 && s.n > 0)
    add_note(c, std::string(side) + ": no value in " + std::to_string(s.nan_count) + " of " +
                    std::to_string(boots) + " boots (an absent counter, or a run that did not get that far)");
  if (s.infinite_count > 0)
    add_note(c, std::string(side) + ": " + std::to_string(s.infinite_count) + " infinite values left out");
}

std::vector<double> reciprocals(const std::vector<double>& values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values) out.push_back(1.0 / v);
  return out;
}

bool constant(const SampleSummary& s) { return s.min && s.max && *s.min == *s.max; }

// Welch and Fieller on the scale whose arithmetic means give the ratio (see the header).
void welch_interval(MetricComparison& c, const std::vector<double>& base, const std::vector<double>& other,
                    const ComparisonOptions& options) {
  bool harmonic = c.mean_kind == MeanKind::harmonic;
  auto numerator = estimate(harmonic ? reciprocals(base) : other);
  auto denominator = estimate(harmonic ? reciprocals(other) : base);
  if (!numerator || !denominator) return add_note(c, "Welch's test could not be computed");
  auto test = welch_test(*numerator, *denominator);
  auto interval = fieller_interval(*numerator, *denominator, options.level);
  if (!test || !interval) return add_note(c, "Welch's test could not be computed");
  c.p_value = test->p_value;
  c.ratio_interval = *interval;
  if (!interval->bounded()) add_note(c, "the interval is unbounded: the means are too noisy for a ratio");
}

void bootstrap_interval(MetricComparison& c, const std::vector<double>& base,
                        const std::vector<double>& other, const ComparisonOptions& options) {
  BootstrapOptions bootstrap{options.bootstrap_resamples, metric_seed(options.seed, to_string(c.key)),
                             options.level};
  auto result = bootstrap_ratio(base, other, c.mean_kind, bootstrap);
  if (!result) return add_note(c, "the bootstrap gave no defined ratio");
  c.p_value = result->p_value;
  c.ratio_interval = result->interval;
  if (result->undefined > 0)
    add_note(c, std::to_string(result->undefined) + " of " + std::to_string(result->resamples) +
                    " resamples had both means 0 and were left out");
}

// Everything but blocking: the rules of the header, on the boots as independent samples.
MetricComparison unblocked_comparison(const MetricInput& input, const ComparisonOptions& options) {
  MetricComparison c;
  c.key = input.key;
  c.unit = input.unit;
  c.better = input.better;
  auto base = finite_values(input.baseline);
  auto other = finite_values(input.other);
  MeanKind wanted = mean_kind_for_unit(input.unit);
  bool both_harmonic = usable_mean_kind(base, wanted) == MeanKind::harmonic &&
                       usable_mean_kind(other, wanted) == MeanKind::harmonic;
  c.mean_kind = both_harmonic ? MeanKind::harmonic : MeanKind::arithmetic;
  c.baseline = summarize(input.baseline, c.mean_kind);
  c.other = summarize(input.other, c.mean_kind);
  if (wanted == MeanKind::harmonic && !both_harmonic)
    add_note(c, "a rate with a value <= 0: arithmetic means instead of harmonic");
  note_left_out(c, "baseline", c.baseline);
  note_left_out(c, "other", c.other);

  if (base.empty() || other.empty()) {
    add_note(c, base.empty() && other.empty() ? "absent on both kernels"
                : base.empty()                ? "absent on the baseline kernel"
                                              : "absent on the other kernel");
    return c;
  }
  double base_mean = *c.baseline.mean, other_mean = *c.other.mean;
  if (!(base_mean > 0)) {
    add_note(c, base_mean < 0     ? "the baseline's mean is negative: no ratio"
                : other_mean == 0 ? "both means are 0: no ratio, and no change"
                                  : "the baseline's mean is 0: the ratio is undefined");
    return c;
  }
  double ratio = other_mean / base_mean;
  if (!std::isfinite(ratio)) {
    add_note(c, "the ratio of the means overflows");
    return c;
  }
  c.ratio = ratio;
  c.percent_better = percent_better(ratio, c.better);
  c.change = Change::not_significant;

  auto choice = recommend_method(base.size(), other.size());
  if (!choice.method) {
    c.method_reason = choice.reason;
    return c;
  }
  if (constant(c.baseline) && constant(c.other)) {
    c.method_reason = "every boot gave the same value on each kernel: the ratio is exact";
    c.ratio_interval = Interval{ratio, ratio};
    c.p_value = ratio == 1 ? 1.0 : 0.0;
    return c;
  }
  if (options.method) {
    c.method = options.method;
    c.method_reason = std::string(to_string(*options.method)) + ", as asked";
  } else {
    c.method = choice.method;
    c.method_reason = choice.reason;
  }
  if (*c.method == IntervalMethod::bootstrap)
    bootstrap_interval(c, base, other, options);
  else
    welch_interval(c, base, other, options);
  return c;
}

// The verdict from the blocked analysis, when it has the slots for one.
void take_blocked_verdict(MetricComparison& c) {
  if (!c.blocked || c.blocked->slots < 2) {
    add_note(c, std::string("blocking by slot, but ") + (c.blocked ? "only 1 slot has" : "no slot has") +
                    " a value > 0 on both kernels: the verdict is the unblocked one");
    return;
  }
  const auto& b = *c.blocked;
  c.blocking = Blocking::slot;
  c.ratio = b.ratio;
  c.percent_better = percent_better(b.ratio, c.better);
  c.method = IntervalMethod::paired;
  c.method_reason = std::to_string(b.slots) +
                    " slots: the paired t test on the within-slot log ratios, blocked by slot (the runs of a "
                    "slot ran side by side)";
  c.ratio_interval = b.ratio_interval;
  c.p_value = b.p_value;
  if (b.slots_left_out > 0)
    add_note(c, std::to_string(b.slots_left_out) +
                    " slots left out of the blocked analysis (a value on one kernel only, or <= 0)");
}

}  // namespace

std::string to_string(const MetricKey& k) { return k.workload + "/" + k.name; }

MetricComparison compare_metric(const MetricInput& input, const ComparisonOptions& asked) {
  ComparisonOptions options = asked;
  if (!(options.level > 0 && options.level < 1)) options.level = 0.95;
  MetricComparison c = unblocked_comparison(input, options);
  c.unblocked = {c.ratio, c.method, c.method_reason, c.ratio_interval, c.p_value};
  if (!input.baseline_slots.empty() && !input.other_slots.empty())
    c.blocked = blocked_ratio(
        pair_by_slot(input.baseline, input.baseline_slots, input.other, input.other_slots), options.level);
  c.noise = metric_noise(c.baseline, c.other, c.blocked, options.power);
  if (options.blocking_used() == Blocking::slot && c.ratio) take_blocked_verdict(c);
  return c;
}

}  // namespace numalab::compare
