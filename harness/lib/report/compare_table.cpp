#include "report/compare_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "report/shared_boots.hpp"

namespace numalab::report {

namespace {

constexpr std::size_t k_cell_width = 22;  // "    81233 ( 50.62%)* "
constexpr std::size_t k_max_label = 44;

const char* color_of(const compare::MetricComparison& m, bool color) {
  if (!color || !m.significant) return "";
  if (m.change == compare::Change::regression) return "\033[31m";
  if (m.change == compare::Change::gain) return "\033[32m";
  return "\033[33m";
}

std::string cell(const compare::SampleSummary& s, std::optional<double> pct, bool significant) {
  if (s.absent()) return fmt::format("{:>10} {:>9} ", "absent", "");
  const std::string change = pct ? fmt::format("({:6.2f}%)", *pct) : std::string("(   n/a )");
  return fmt::format("{:>10} {:>9}{}", format_value(*s.mean), change, significant ? "*" : " ");
}

std::string label(const compare::MetricKey& key) {
  std::string l = key.workload + " " + key.name;
  if (l.size() > k_max_label) l = l.substr(0, k_max_label - 1) + "~";
  return l;
}

std::string mean_name(compare::MeanKind k) { return k == compare::MeanKind::harmonic ? "Hmean" : "Amean"; }

bool all_zero(const compare::SampleSummary& s) { return !s.absent() && s.min == 0.0 && s.max == 0.0; }

constexpr std::size_t k_noise_width = 11;  // each of the three noise columns

std::string percent_or_dash(std::optional<double> v) { return v ? fmt::format("{:.1f}", *v * 100) : "-"; }

// "12", or "-" without a CV, or ">100000" when the CV is known but no number of boots will do.
std::string boots_or_dash(std::optional<std::size_t> n, bool noise_known) {
  if (n) return fmt::format("{}", *n);
  return noise_known ? fmt::format(">{}", compare::k_max_boots) : "-";
}

// The noise of one comparison's metric: the CVs of both kernels, the CV of the ratio of two boots
// unblocked / blocked by slot, the boots per kernel the planned change needs, unblocked / blocked.
std::string noise_cell(const compare::MetricComparison& m) {
  const auto& n = m.noise;
  const auto cvs = percent_or_dash(n.baseline_cv) + "/" + percent_or_dash(n.other_cv);
  const auto ratio = percent_or_dash(n.ratio_cv) + "/" + percent_or_dash(n.blocked_ratio_cv);
  const auto boots = boots_or_dash(n.boots_needed, n.ratio_cv.has_value()) + "/" +
                     boots_or_dash(n.boots_needed_blocked, n.blocked_ratio_cv.has_value());
  return fmt::format(" {:>{}} {:>{}} {:>{}}", cvs, k_noise_width, ratio, k_noise_width, boots, k_noise_width);
}

std::string noise_header() {
  return fmt::format(" {:>{}} {:>{}} {:>{}}", "cv % b/o", k_noise_width, "ratio cv %", k_noise_width,
                     "boots u/b", k_noise_width);
}

std::string legend(const CompareReport& r, std::size_t tested_max) {
  std::string out = fmt::format(
      "* significant at {:.0f} % after correcting for {} metrics (Benjamini-Hochberg, q = {:g});\n",
      r.options.level * 100, tested_max, r.options.fdr_q);
  if (r.options.blocking_used() == compare::Blocking::slot)
    out +=
        "  verdicts blocked by slot: the paired t test on within-slot ratios (percent: their geometric "
        "mean);\n";
  out += "  (change%) + means better, by each metric's declared direction (none: the plain change);\n";
  out +=
      "  Amean arithmetic, Hmean harmonic (rates), Gmean geometric mean of oriented ratios (> 1 better),\n";
  out += "  with the count of significant gains+ and regressions-.\n";
  out += fmt::format(
      "  noise, per comparison: cv % of baseline/other over their boots; ratio cv % of two boots, unblocked\n"
      "  (sqrt(cv_b^2+cv_o^2)) / blocked (in one slot); boots per kernel a {:g} % change needs at {:g} % "
      "power,\n"
      "  unblocked/blocked (-: none).\n",
      r.options.power.change * 100, r.options.power.power * 100);
  return out;
}

}  // namespace

std::string format_value(double v) {
  if (!std::isfinite(v)) return fmt::format("{}", v);
  const double a = std::fabs(v);
  if (a == 0) return "0";
  if (a >= 1e10 || a < 1e-3) return fmt::format("{:.3e}", v);
  if (a >= 1e4) return fmt::format("{:.0f}", v);
  if (a >= 100) return fmt::format("{:.1f}", v);
  if (a >= 1) return fmt::format("{:.2f}", v);
  return fmt::format("{:.4f}", v);
}

std::string format_compare_table(const CompareReport& r, const TableOptions& opt) {
  std::string out;
  if (r.kernels.empty()) return out;
  // Rows: the metrics of every comparison, in the first comparison's order (which is the
  // baseline's, then the others'). With only a baseline (no comparison) there is no table.
  std::vector<compare::MetricKey> rows;
  std::set<compare::MetricKey> seen;
  for (const auto& c : r.comparisons)
    for (const auto& m : c.metrics)
      if (seen.insert(m.key).second) rows.push_back(m.key);
  std::size_t width = 20;
  for (const auto& k : rows) width = std::max(width, label(k).size());

  out += fmt::format("{:<{}} {:5}", "", width, "");
  for (const auto& k : r.kernels)
    out += fmt::format(" {:>{}}", k.name.substr(0, k_cell_width - 1), k_cell_width - 1);
  for (std::size_t c = 0; c < r.comparisons.size(); ++c) out += noise_header();
  out += "\n";

  auto find = [](const compare::KernelComparison& c,
                 const compare::MetricKey& key) -> const compare::MetricComparison* {
    for (const auto& m : c.metrics)
      if (m.key == key) return &m;
    return nullptr;
  };
  std::size_t tested_max = 0;
  for (const auto& c : r.comparisons) {
    std::size_t tested = 0;
    for (const auto& m : c.metrics) tested += compare::in_correction_family(m);
    tested_max = std::max(tested_max, tested);
  }
  std::size_t zero_rows = 0;
  for (const auto& key : rows) {
    const compare::MetricComparison* first =
        r.comparisons.empty() ? nullptr : find(r.comparisons.front(), key);
    for (const auto& c : r.comparisons)
      if (!first) first = find(c, key);
    if (!first) continue;
    // A counter that stayed 0 in every boot of every kernel says nothing here (the report has it).
    bool zero = all_zero(first->baseline);
    for (const auto& c : r.comparisons)
      if (const auto* m = find(c, key)) zero = zero && all_zero(m->other);
    if (zero) {
      ++zero_rows;
      continue;
    }
    out += fmt::format("{:<{}} {:5}", label(key), width, mean_name(first->mean_kind));
    out += " " +
           cell(first->baseline, first->baseline.absent() ? std::nullopt : std::optional<double>(0.0), false);
    for (const auto& c : r.comparisons) {
      const auto* m = find(c, key);
      if (!m) {
        out += fmt::format(" {:>{}}", "-", k_cell_width - 1);
        continue;
      }
      const char* col = color_of(*m, opt.color);
      out += std::string(" ") + col + cell(m->other, m->percent_better, m->significant) +
             (*col ? "\033[0m" : "");
    }
    for (const auto& c : r.comparisons) {
      const auto* m = find(c, key);
      out += m ? noise_cell(*m) : fmt::format(" {:>{}}", "-", 3 * k_noise_width + 2);
    }
    out += "\n";
  }
  // One summary row per workload: the geometric mean of the oriented ratios (> 1 better).
  std::vector<std::string> workloads;
  for (const auto& c : r.comparisons)
    for (const auto& w : c.workloads)
      if (std::find(workloads.begin(), workloads.end(), w.workload) == workloads.end())
        workloads.push_back(w.workload);
  for (const auto& name : workloads) {
    out += fmt::format("{:<{}} {:5} {:>10} {:>9} ", name.substr(0, width), width, "Gmean", "1.00", "");
    for (const auto& c : r.comparisons) {
      const compare::WorkloadSummary* s = nullptr;
      for (const auto& w : c.workloads)
        if (w.workload == name) s = &w;
      std::string v = s && s->geomean_ratio ? fmt::format("{:.3f}", *s->geomean_ratio) : "-";
      std::string counts = s ? fmt::format("{}+ {}-", s->gains, s->regressions) : "";
      out += fmt::format(" {:>10} {:>9} ", v, counts);
    }
    out += "\n";
  }
  if (zero_rows > 0)
    out += fmt::format("({} metric{} that stayed 0 in every boot of every kernel not shown)\n", zero_rows,
                       zero_rows == 1 ? "" : "s");
  if (!r.comparisons.empty()) out += legend(r, tested_max);
  for (const auto& s : shared_boots(r.runs)) out += "  " + describe(s) + ": it may carry what they left.\n";
  if (r.aa_noise && r.aa_noise->flagged_share)
    out += fmt::format(
        "A/A noise: {} of {} metrics flagged ({:.1f} %, nominal {:.0f} %); {} intervals excluded 1 "
        "before the correction ({:.1f} %)\n",
        r.aa_noise->flagged, r.aa_noise->tested, *r.aa_noise->flagged_share * 100, r.aa_noise->nominal * 100,
        r.aa_noise->interval_excludes_one, r.aa_noise->raw_share.value_or(0) * 100);
  for (const auto& f : r.failures)
    out += fmt::format("{}: {} on {} (repetition {}, run {}): {}\n", result::to_string(f.verdict),
                       f.workload.empty() ? std::string("the run") : f.workload, f.kernel, f.repetition,
                       f.run_id, f.detail);
  return out;
}

}  // namespace numalab::report
