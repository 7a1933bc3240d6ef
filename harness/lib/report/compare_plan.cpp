#include "report/compare_plan.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "compare/log_scale.hpp"
#include "report/compare_loading.hpp"
#include "report/compare_statistics.hpp"

namespace numalab::report {

namespace {

// Sums of squares and their degrees of freedom, pooled over groups.
struct Pool {
  double sum_sq = 0;
  std::size_t df = 0;
  std::size_t groups = 0;

  void add(double spread, std::size_t n) {
    if (n < 2 || !std::isfinite(spread)) return;
    sum_sq += static_cast<double>(n - 1) * spread * spread;
    df += n - 1;
    ++groups;
  }
  std::optional<double> pooled() const {
    if (df == 0) return std::nullopt;
    return std::sqrt(sum_sq / static_cast<double>(df));
  }
};

struct MetricPools {
  compare::MetricKey key;
  std::string unit;
  Pool boots, slots;
};

std::string identity(const CompareKernel& k) { return k.sha256.empty() ? "name " + k.name : k.sha256; }

// Each kernel's CV of each metric over its boots in this compare.
void add_boots(const CompareReport& r, std::map<compare::MetricKey, std::size_t>& index,
               std::vector<MetricPools>& pools) {
  for (std::size_t k = 0; k < r.kernels.size(); ++k)
    for (const auto& m : kernel_samples(r, k).metrics) {
      auto [it, added] = index.try_emplace(m.key, pools.size());
      if (added) pools.push_back({m.key, m.unit, {}, {}});
      const auto s = compare::summarize(m.values, compare::mean_kind_for_unit(m.unit));
      if (s.cv) pools[it->second].boots.add(*s.cv, s.n);
    }
}

// The sd of the within-slot log ratios of each metric, kernel k against the baseline.
void add_slots(const CompareReport& r, std::map<compare::MetricKey, std::size_t>& index,
               std::vector<MetricPools>& pools) {
  for (const auto& c : r.comparisons)
    for (const auto& m : c.metrics) {
      if (!m.blocked || !m.blocked->log_sd) continue;
      auto [it, added] = index.try_emplace(m.key, pools.size());
      if (added) pools.push_back({m.key, m.unit, {}, {}});
      pools[it->second].slots.add(*m.blocked->log_sd, m.blocked->slots);
    }
}

PlanMetric plan_metric(const MetricPools& p, const compare::PowerGoal& goal) {
  PlanMetric out;
  out.key = p.key;
  out.unit = p.unit;
  out.boots = p.boots.df + p.boots.groups;
  out.cv = p.boots.pooled();
  if (out.cv) {
    const double s = compare::log_sd_of_cv(*out.cv);
    out.boots_needed = compare::boots_needed_unblocked(s, s, goal);
  }
  out.slots = p.slots.df + p.slots.groups;
  if (auto log_sd = p.slots.pooled()) {
    out.blocked_cv = compare::cv_of_log_sd(*log_sd);
    out.boots_needed_blocked = compare::boots_needed_blocked(*log_sd, goal);
  }
  return out;
}

std::string percent_or_dash(std::optional<double> v) { return v ? fmt::format("{:.1f}", *v * 100) : "-"; }

std::string boots_or_dash(std::optional<std::size_t> n, bool noise_known) {
  if (n) return fmt::format("{}", *n);
  return noise_known ? fmt::format(">{}", compare::k_max_boots) : "-";
}

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out.empty() ? "none" : out;
}

std::string plan_row(const PlanMetric& m, std::size_t width) {
  const auto count = [](std::size_t n) { return n ? fmt::format("{}", n) : std::string("-"); };
  return fmt::format(
      "{:<{}} {:>6} {:>6} {:>8}   {:>6} {:>6} {:>8}\n", m.key.workload + " " + m.key.name, width,
      count(m.boots), percent_or_dash(m.cv), boots_or_dash(m.boots_needed, m.cv.has_value()), count(m.slots),
      percent_or_dash(m.blocked_cv), boots_or_dash(m.boots_needed_blocked, m.blocked_cv.has_value()));
}

}  // namespace

bool is_aa(const CompareReport& r) {
  if (r.kernels.size() < 2) return false;
  for (const auto& k : r.kernels)
    if (identity(k) != identity(r.kernels.front())) return false;
  return true;
}

ComparePlan plan_from_aa(std::span<const CompareReport> compares, const compare::PowerGoal& goal) {
  ComparePlan plan;
  plan.goal = goal;
  plan.compares_of_lab = compares.size();
  std::map<compare::MetricKey, std::size_t> index;
  std::vector<MetricPools> pools;
  for (const auto& r : compares) {
    if (!is_aa(r)) continue;
    plan.aa_compares.push_back(r.compare_id);
    add_boots(r, index, pools);
    if (r.options.blocking_used() != compare::Blocking::slot) continue;
    plan.blocked_compares.push_back(r.compare_id);
    add_slots(r, index, pools);
  }
  for (const auto& p : pools) plan.metrics.push_back(plan_metric(p, goal));
  return plan;
}

util::Result<ComparePlan> plan_from_store(store::ResultsStore& store, const std::string& lab,
                                          const std::string& lab_sha256, const compare::PowerGoal& goal) {
  auto ids = store.compares_of_lab(lab, lab_sha256);
  if (!ids) return std::unexpected(ids.error());
  std::vector<CompareReport> compares;
  for (const auto& id : *ids) {
    auto loaded = load_compare_report(store, id);
    if (!loaded) return std::unexpected(loaded.error());
    if (*loaded) compares.push_back(std::move(**loaded));
  }
  return plan_from_aa(compares, goal);
}

std::string format_plan(const ComparePlan& plan, const std::string& lab, const std::string& lab_file) {
  if (plan.aa_compares.empty())
    return fmt::format(
        "no A/A compare of lab {} in the store ({} compare{} of it, none of a kernel against itself): run an "
        "A/A "
        "compare first:\n  numalab compare {} --kernel X --kernel X --repeat 10\n(X: the kernel your changes "
        "will be compared against, e.g. debian)\n",
        lab, plan.compares_of_lab, plan.compares_of_lab == 1 ? "" : "s", lab_file);
  std::string out = fmt::format(
      "plan for lab {} ({}): boots per kernel to find a {:g} % change with {:g} % power (two-sided, alpha "
      "{:g})\n",
      lab, lab_file, plan.goal.change * 100, plan.goal.power * 100, plan.goal.alpha);
  out += fmt::format("from the A/A compares {}; blocked by slot: {}\n", joined(plan.aa_compares),
                     joined(plan.blocked_compares));
  std::size_t width = 24;
  for (const auto& m : plan.metrics) width = std::max(width, m.key.workload.size() + m.key.name.size() + 1);
  out += fmt::format("{:<{}} {:>6} {:>6} {:>8}   {:>6} {:>6} {:>8}\n", "", width, "boots", "cv %", "needed",
                     "slots", "cv %", "needed");
  for (const auto& m : plan.metrics) out += plan_row(m, width);
  out += fmt::format(
      "boots: the boots the CV was pooled over (all kernels, all compares); needed: boots per kernel for a "
      "{:g} % change.\n"
      "slots, cv %, needed on the right: the same blocked by slot (the ratio of two boots run side by side)",
      plan.goal.change * 100);
  out +=
      plan.blocked_compares.empty()
          ? "; no A/A compare of this lab ran side by side (compare --jobs >= kernels), so its blocked noise "
            "is not known yet.\n"
          : ".\n";
  out +=
      "One metric alone: correcting for a lab's many metrics asks a smaller p of each, and so more boots.\n";
  return out;
}

}  // namespace numalab::report
