#include "cli/compare_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/compare_plan_command.hpp"
#include "cli/exit_status.hpp"
#include "cli/status_printer.hpp"
#include "compare/interval_method.hpp"
#include "lab/lab.hpp"
#include "report/compare_loading.hpp"
#include "report/compare_statistics.hpp"
#include "report/compare_table.hpp"
#include "report/html_report.hpp"
#include "report/junit_xml.hpp"
#include "report/kcidb_json.hpp"
#include "run/compare_runner.hpp"
#include "run/startup_preparation.hpp"
#include "store/store.hpp"
#include "util/cache_dir.hpp"
#include "util/file_contents.hpp"
#include "util/json_text.hpp"

namespace numalab::cli {

namespace {

util::Result<void> write_text(const std::filesystem::path& file, const std::string& text) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  return util::write_file(file, text);
}

// What a CI log should say when gating fails: each significant regression (the table above
// already listed the functional failures).
std::vector<std::string> gate_findings(const report::CompareReport& r) {
  std::vector<std::string> out;
  for (const auto& c : r.comparisons)
    for (const auto& m : c.metrics) {
      if (!m.significant || m.change != compare::Change::regression) continue;
      std::string interval = m.ratio_interval ? fmt::format(", 95 % interval of the ratio {}–{}",
                                                            report::format_value(m.ratio_interval->low),
                                                            report::format_value(m.ratio_interval->high))
                                              : "";
      out.push_back(
          fmt::format("regression: {} {} on {}: {} → {} {} ({:+.2f} %, + is better; ratio {:.3f}{})",
                      m.key.workload, m.key.name, c.other, report::format_value(m.baseline.mean.value_or(0)),
                      report::format_value(m.other.mean.value_or(0)), m.unit, m.percent_better.value_or(0),
                      m.ratio.value_or(0), interval));
    }
  return out;
}

bool any_hang_or_crash(const report::CompareReport& r) {
  for (const auto& f : r.failures)
    if (f.verdict == result::Verdict::hang || f.verdict == result::Verdict::crash) return true;
  return false;
}

// Writes every output asked for (and the report folder); returns false when one failed.
bool write_outputs(const report::CompareReport& r, const CompareArgs& args) {
  bool ok = true;
  auto check = [&](util::Result<void> w) {
    if (!w) {
      std::cerr << "numalab: " << w.error().message << "\n";
      ok = false;
    }
  };
  const auto document = report::to_json(r);
  const auto dir = args.report_dir.value_or(args.results / "compares" / r.compare_id);
  check(write_text(dir / "compare.json", util::json_document(document)));
  check(write_text(dir / "table.txt", report::format_compare_table(r)));
  if (args.json) check(write_text(*args.json, util::json_document(document)));
  if (args.junit) check(write_text(*args.junit, report::junit_xml(r)));
  if (args.kcidb) check(write_text(*args.kcidb, util::json_document(report::kcidb_json(r))));
  auto html = report::render_html(dir / "compare.json", dir);
  if (!html) {
    std::cerr << "numalab: no HTML report: " << html.error().message << "\n";
    // Asked for explicitly, a missing report is a failure; the default folder's is a convenience.
    if (args.report_dir) ok = false;
  } else {
    std::cout << "report: " << html->string() << "\n";
  }
  return ok;
}

// "continue it with\n  numalab compare LAB --resume ID [--results DIR]" on stderr.
void print_resume_hint(const CompareArgs& args, const std::string& compare_id, const std::string& lab_file) {
  std::cerr << fmt::format("continue it with\n  numalab compare {} --resume {}{}\n",
                           lab_file.empty() ? std::string("LAB.toml") : lab_file, compare_id,
                           args.results == "results" ? "" : " --results " + args.results.string());
}

// --blocking, --change and --power over `options` (the stored ones, for --from-db).
util::Result<void> apply_statistics_args(const CompareArgs& args, compare::ComparisonOptions& options) {
  if (args.blocking) {
    auto asked = blocking_asked(*args.blocking);
    if (!asked) return std::unexpected(asked.error());
    options.blocking = *asked;
  }
  if (args.change || args.power) {
    auto goal = power_goal(args);
    if (!goal) return std::unexpected(goal.error());
    options.power = *goal;
  }
  return {};
}

}  // namespace

int cmd_compare(const CompareArgs& args, util::StopRequest& stop) {
  if (args.plan) return cmd_compare_plan(args);
  auto store = open_store(args.results);
  if (!store) return report_error(store.error());

  if (args.list) {
    auto rows = (*store)->list_compares(50);
    if (!rows) return report_error(rows.error());
    std::cout << fmt::format("{:<7} {:<20} {:<16} {:<11} {:>9}  {}\n", "COMPARE", "STARTED", "LAB", "STATE",
                             "RUNS", "KERNELS");
    for (const auto& c : *rows)
      std::cout << fmt::format("{:<7} {:<20} {:<16} {:<11} {:>4}/{:<4}  {}\n", c.compare_id, c.started_at,
                               c.lab, c.state, c.runs_done, c.runs_planned, c.kernels);
    return k_exit_pass;
  }

  report::CompareReport report;
  int interrupted_by = 0;
  if (args.from_db) {
    auto loaded = report::load_compare_report(**store, *args.from_db);
    if (!loaded) return report_error(loaded.error());
    if (!*loaded)
      return report_error({util::ErrorKind::bad_input, "no compare " + *args.from_db + " in " +
                                                           (args.results / "numalab.db").string() +
                                                           " (numalab compare --list shows them)"});
    report = std::move(**loaded);
    if (args.blocking || args.change || args.power) {  // re-rendered with other statistics
      if (auto ok = apply_statistics_args(args, report.options); !ok) return report_error(ok.error());
      report::compute_statistics(report);
    }
  } else {
    if (args.lab.empty()) return report_error({util::ErrorKind::bad_input, "compare needs a lab file"});
    if (!args.resume && args.kernels.size() < 2)
      return report_error({util::ErrorKind::bad_input,
                           "compare needs at least two --kernel (the first is the "
                           "baseline; the same kernel twice is an A/A comparison)"});
    auto lab = lab::parse_lab_file(args.lab);
    if (!lab) return report_error(lab.error());
    run::CompareRequest req;
    req.kernels = args.kernels;
    req.repeat = args.repeat;
    req.resume = args.resume;
    auto limits = pool_limits(args.jobs);
    if (!limits) return report_error(limits.error());
    req.limits = *limits;
    if (args.method != "auto") {
      req.stats.method = compare::interval_method_from_string(args.method);
      if (!req.stats.method)
        return report_error(
            {util::ErrorKind::bad_input, "--method must be auto, welch or bootstrap, not " + args.method});
    }
    if (auto ok = apply_statistics_args(args, req.stats); !ok) return report_error(ok.error());
    auto settings = run_settings(args.results, args.hang_timeout_s, args.boot_timeout_s, true, args.boot);
    auto boot_note = run::boot_fresh_for_compare(*lab, settings);
    if (!boot_note) return report_error(boot_note.error());
    if (!boot_note->empty()) std::cerr << "numalab: " << *boot_note << "\n";
    StatusPrinter printer(std::cout, std::cerr, interactive());
    std::cerr << "numalab: comparing on " << args.lab.string() << " (lab " << lab->name << ")\n";
    SystemParts system;
    auto env = system.environment(**store, printer, stop, settings);
    auto outcome =
        run::run_compare(*lab, req, settings, env, run::kernel_resolver(*lab, settings, printer, stop));
    printer.end_line();
    if (!outcome) {
      const int status = report_error(outcome.error(), stop);
      if (stop.requested() && !req.resume)
        std::cerr
            << "numalab: the compare was interrupted before its first run: nothing was stored (the kernels "
               "built so far are cached); run the same command again\n";
      if (stop.requested() && req.resume) print_resume_hint(args, *req.resume, args.lab.string());
      return status;
    }
    report = std::move(outcome->report);
    interrupted_by = outcome->interrupted_by;
  }

  std::cout << "compare " << report.compare_id << ": lab " << report.lab << ", " << report.repeat
            << " boots per kernel" << (report.accel.empty() ? "" : ", " + report.accel) << "\n";
  std::cout << report::format_compare_table(report, {::isatty(STDOUT_FILENO) == 1});
  const bool outputs_ok = write_outputs(report, args);
  if (interrupted_by || !report.complete) {
    int done = 0;
    for (const auto& r : report.runs) done += r.result.has_value();
    std::cerr << fmt::format("numalab: compare {} is incomplete ({} of {} runs): ", report.compare_id, done,
                             report.runs.size());
    print_resume_hint(args, report.compare_id, report.lab_file);
  }
  if (interrupted_by) return 128 + interrupted_by;
  if (!outputs_ok) return k_exit_cannot_run;
  if (args.fail_on_regression) {
    const auto findings = gate_findings(report);
    for (const auto& f : findings) std::cout << f << "\n";
    if (!report.complete) return k_exit_cannot_run;
    if (!findings.empty() || !report.failures.empty())
      std::cout << fmt::format("gate: {} functional failure(s), {} significant regression(s)\n",
                               report.failures.size(), findings.size());
    if (any_hang_or_crash(report)) return k_exit_hang_or_crash;
    if (!findings.empty() || !report.failures.empty()) return k_exit_fail;
  }
  return k_exit_pass;
}

}  // namespace numalab::cli
