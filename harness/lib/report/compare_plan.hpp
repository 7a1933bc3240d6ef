#pragma once
// numalab compare --plan: how many boots per kernel a change would need on this lab, estimated
// before anything runs from the A/A compares of the same lab in the store (a kernel against
// itself: every difference between its boots is the noise of the machine).
//
// Per metric, each kernel's coefficient of variation over its boots in each A/A compare, pooled
// over all of them weighted by degrees of freedom (cv^2 = sum (n - 1) cv_i^2 / sum (n - 1)), and
// the boots per kernel the unblocked comparison needs at that noise (compare/sample_size.hpp).
// From the A/A compares that were blocked by slot (their runs ran side by side), the same for the
// within-slot ratios: the sd of their logs pooled the same way, and the slots the blocked
// comparison needs.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "compare/metric_comparison.hpp"
#include "compare/sample_size.hpp"
#include "report/compare_report.hpp"
#include "store/store.hpp"

namespace numalab::report {

struct PlanMetric {
  compare::MetricKey key;
  std::string unit;
  std::size_t boots = 0;     // boots behind the pooled CV
  std::optional<double> cv;  // pooled, of one boot
  std::optional<std::size_t> boots_needed;
  std::size_t slots = 0;             // slots behind the pooled blocked CV
  std::optional<double> blocked_cv;  // pooled, of the ratio of two boots in one slot
  std::optional<std::size_t> boots_needed_blocked;
};

struct ComparePlan {
  compare::PowerGoal goal;
  std::size_t compares_of_lab = 0;            // stored compares of the lab, A/A or not
  std::vector<std::string> aa_compares;       // the A/A compares used
  std::vector<std::string> blocked_compares;  // those of them blocked by slot
  std::vector<PlanMetric> metrics;            // in the order the compares first show them
};

// Every kernel of the compare is the same kernel: the same image (sha256; the name when a
// kernel's sha256 is not known), and there are at least two.
bool is_aa(const CompareReport& report);

// The plan from A/A compares (others are skipped).
ComparePlan plan_from_aa(std::span<const CompareReport> compares, const compare::PowerGoal& goal);

// The plan from the store: the compares of the lab named `lab` or whose file has `lab_sha256`.
util::Result<ComparePlan> plan_from_store(store::ResultsStore& store, const std::string& lab,
                                          const std::string& lab_sha256, const compare::PowerGoal& goal);

// The plan as text: what it is for, which compares it used, a row per metric; or, without an A/A
// compare, how to make one. `lab_file` is named in that command.
std::string format_plan(const ComparePlan& plan, const std::string& lab, const std::string& lab_file);

}  // namespace numalab::report
