#include "report/junit_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "compare/sample_summary.hpp"
#include "report/report_kernels.hpp"
#include "report/report_text.hpp"

namespace numalab::report {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

std::string with_unit(std::optional<double> v, const std::string& unit) {
  const std::string n = readable(v);
  return !v || unit.empty() ? n : n + " " + unit;
}

std::string direction_text(model::Better b) {
  switch (b) {
    case model::Better::lower:
      return "lower is better";
    case model::Better::higher:
      return "higher is better";
    case model::Better::none:
      break;
  }
  return "no better direction";
}

std::string interval_text(const std::optional<compare::Interval>& i) {
  if (!i) return "no interval";
  const auto end = [](double v) { return std::isfinite(v) ? readable(v) : (v < 0 ? "-inf" : "+inf"); };
  return "[" + end(i->low) + ", " + end(i->high) + "]";
}

std::string comparison_text(const compare::MetricComparison& m) {
  if (m.change == compare::Change::not_compared)
    return "not compared" + (m.note.empty() ? std::string() : " (" + m.note + ")");
  std::string out = fmt::format("baseline {}; change {}, ratio {}", with_unit(m.baseline.mean, m.unit),
                                percent_text(m.percent_better), readable(m.ratio));
  out += m.ratio_interval ? " " + interval_text(m.ratio_interval) : " (no interval)";
  if (m.p_value) out += ", p = " + readable(m.p_value);
  out += ": " + std::string(compare::to_string(m.change));
  if (!m.note.empty()) out += " (" + m.note + ")";
  return out;
}

}  // namespace

CaseSamples case_samples(const CompareReport& r, std::size_t kernel, const std::string& workload,
                         const std::string& machine) {
  CaseSamples out;
  double elapsed = 0;
  for (const auto& run : r.runs) {
    if (run.kernel != kernel || !run.result) continue;
    for (const auto& w : run.result->workloads) {
      if (w.name != workload || w.machine != machine) continue;
      if (not_run(w.verdict, w.detail)) break;  // the repetition did not reach it
      for (const auto& [name, v] : w.metrics) {
        auto it = std::find_if(out.metrics.begin(), out.metrics.end(),
                               [&](const CaseMetric& m) { return m.name == name; });
        if (it == out.metrics.end()) {
          out.metrics.push_back({name, v.unit, v.better, {}});
          it = std::prev(out.metrics.end());
        }
        it->values.resize(static_cast<std::size_t>(out.repetitions), k_nan);
        it->values.push_back(v.absent ? k_nan : v.value);
      }
      ++out.repetitions;
      elapsed += w.elapsed_s;
      break;
    }
  }
  for (auto& m : out.metrics) m.values.resize(static_cast<std::size_t>(out.repetitions), k_nan);
  if (out.repetitions > 0) out.mean_elapsed_s = elapsed / out.repetitions;
  return out;
}

std::string percent_text(std::optional<double> percent_better) {
  if (!percent_better || !std::isfinite(*percent_better)) return "-";
  return fmt::format("{:+.1f} %", *percent_better);
}

std::string failures_text(const std::vector<const FunctionalFailure*>& failures) {
  if (failures.empty()) return "";
  std::string out = "Functional failures (the workload did not pass):\n";
  for (const auto* f : failures) {
    out += fmt::format("  repetition {}, run {}", f->repetition, f->run_id.empty() ? "-" : f->run_id);
    if (!f->machine.empty()) out += ", machine " + f->machine;
    out += fmt::format(": {}\n", result::to_string(f->verdict));
    std::string_view detail = f->detail;
    while (!detail.empty()) {
      const auto nl = detail.find('\n');
      out += "    " + std::string(detail.substr(0, nl)) + "\n";
      detail = nl == std::string_view::npos ? std::string_view() : detail.substr(nl + 1);
    }
  }
  return out;
}

std::string regressions_text(const CompareReport& r, std::size_t kernel,
                             const std::vector<const compare::MetricComparison*>& regressions) {
  if (regressions.empty()) return "";
  const auto labels = kernel_labels(r);
  const auto* comparison = comparison_for(r, kernel);
  std::string out = fmt::format(
      "Significant regressions against the baseline kernel {} (change: + is better, by each metric's "
      "direction; "
      "ratio = mean on {} / mean on {}, with its {:g} % confidence interval; significant: the interval "
      "excludes 1 and p survives Benjamini-Hochberg at q = {:g} over this comparison's metrics):\n",
      labels.front(), labels[kernel], labels.front(), r.options.level * 100,
      comparison ? comparison->fdr_q : r.options.fdr_q);
  for (const auto* m : regressions) {
    out +=
        fmt::format("  {} [{}{}]: baseline mean {}, {} mean {}, change {}, ratio {} {}", m->key.name,
                    m->unit.empty() ? "" : m->unit + ", ", direction_text(m->better),
                    with_unit(m->baseline.mean, m->unit), labels[kernel], with_unit(m->other.mean, m->unit),
                    percent_text(m->percent_better), readable(m->ratio), interval_text(m->ratio_interval));
    if (m->method) out += fmt::format(" ({})", compare::to_string(*m->method));
    out += ", p = " + readable(m->p_value) + "\n";
  }
  return out;
}

std::string metrics_text(const CompareReport& r, std::size_t kernel, const std::string& workload,
                         const CaseSamples& samples) {
  if (samples.metrics.empty()) return "";
  const auto labels = kernel_labels(r);
  const auto* comparison = comparison_for(r, kernel);
  std::string out = fmt::format(
      "Metrics of {} on {} over {} repetition{} (mean: harmonic for rates; change: + is better):\n", workload,
      labels[kernel], samples.repetitions, samples.repetitions == 1 ? "" : "s");
  for (const auto& m : samples.metrics) {
    const auto s = compare::summarize(m.values, compare::mean_kind_for_unit(m.unit));
    out += "  " + m.name + ": ";
    if (s.absent()) {
      out += "absent (the kernel has no such counter)";
    } else {
      out += fmt::format("mean {} (sd {}, n {})", with_unit(s.mean, m.unit), readable(s.stddev), s.n);
    }
    if (const auto* c = metric_in(comparison, workload, m.name)) out += "; " + comparison_text(*c);
    out += "\n";
  }
  return out;
}

}  // namespace numalab::report
