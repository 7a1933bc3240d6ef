#pragma once
// A comparison built by hand for the JUnit and KCIDB writers' tests, with its statistics computed
// by the real code (report::compute_statistics, which runs compare::compare_kernels), and the
// Debian tools that check the files against harness/report/'s schemas.
//
// The comparison: lab "numa2", compare c0007, one machine "guest" (2 nodes x 2 CPUs x 512 MiB),
// kernels baseline, numab-v3 (a git base and a patch series) and baseline again (A/A, labelled
// "baseline#2"), 2 repetitions each, interleaved. Workloads numa02, numa01/hard-bind and
// cpuset-rebind. numab-v3 makes numa02's system_s 50 % worse (a significant regression) and
// fails cpuset-rebind in repetition 2 with a detail full of bytes XML and JSON cannot carry as
// they are; the A/A kernel hangs in numa01/hard-bind in repetition 1, so cpuset-rebind is "not
// run" there.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "report/compare_report.hpp"
#include "report/compare_statistics.hpp"
#include "util/child_process.hpp"
#include "util/temp_dir.hpp"

namespace numalab::report::test_support {

using result::Verdict;

inline const std::string k_series_hash = "3c6e0b8a9c15224a8228b9a98ca1531dd2c6b1f3e1b0c1c4d5e6f708192a3b4c";
inline const std::string k_git_commit = "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c";

// What no XML or JSON file can hold as it is: markup, a CDATA end, C0 controls, invalid UTF-8, NUL.
inline std::string nasty_detail() {
  return std::string("expected mems 0-1 after the rebind, got <none> & \"2\" ]]> \x01\x1b[31mred") +
         "\xff\xc3\x28" + std::string(1, '\0') + "tail\nsecond line";
}

inline result::MetricValue metric(double value, std::string unit, model::Better better, bool absent = false) {
  return {value, std::move(unit), better, absent};
}

struct Values {
  double system_s, locality_pct, pte_updates, migrate_mbps, runtime_s;
};

inline result::RunResult run_result(const std::string& run_id, const std::string& kernel, const Values& v) {
  using model::Better;
  result::RunResult r;
  r.run_id = run_id;
  r.lab = "numa2";
  r.lab_file = "lab/default.toml";
  r.verdict = Verdict::pass;
  r.started_at = "2026-11-22T14:1" + run_id.substr(3) + ":00Z";
  r.duration_s = 40;
  r.run_dir = "results/runs/" + run_id;
  result::MachineResult m;
  m.name = "guest";
  m.accel = "tcg";
  m.kernel = {kernel, "6.1.0-numalab", "", ""};
  r.machines.push_back(m);

  result::WorkloadResult numa02{"numa02", "guest", Verdict::pass, "", 2.5, {}, {}};
  numa02.metrics["system_s"] = metric(v.system_s, "s", Better::lower);
  numa02.metrics["locality_pct"] = metric(v.locality_pct, "%", Better::higher);
  numa02.metrics["numa_pte_updates"] = metric(v.pte_updates, "pages", Better::none);
  numa02.metrics["migrate_mbps"] = metric(v.migrate_mbps, "MB/s", Better::higher);
  numa02.metrics["thp_fault_alloc"] =
      metric(std::numeric_limits<double>::quiet_NaN(), "", Better::none, true);
  result::WorkloadResult hard_bind{"numa01/hard-bind", "guest", Verdict::pass, "", 5.5, {}, {}};
  hard_bind.metrics["runtime_s"] = metric(v.runtime_s, "s", Better::lower);
  result::WorkloadResult rebind{"cpuset-rebind", "guest", Verdict::pass, "", 1.5, {}, {}};
  rebind.metrics["rebinds"] = metric(10, "", Better::none);
  r.workloads = {numa02, hard_bind, rebind};
  return r;
}

inline CompareKernel kernel(const std::string& name, bool patched) {
  CompareKernel k;
  k.name = name;
  k.release = patched ? "6.1.0-numalab+" : "6.1.0-numalab";
  k.sha256 = std::string(64, patched ? 'b' : 'a');
  k.cache_key = patched ? "0123456789abcdef01234567" : "e098338a98ca653d53cc6118";
  k.base = patched ? "git " + k_git_commit : "debian linux-source-6.1 6.1.192-2";
  k.series = patched ? "patches/numab-v3" : "";
  k.series_hash = patched ? k_series_hash : "";
  k.config =
      patched ? std::vector<std::string>{"numa-lab", "debug-vm"} : std::vector<std::string>{"numa-lab"};
  return k;
}

inline CompareReport sample_report() {
  CompareReport r;
  r.compare_id = "c0007";
  r.lab = "numa2";
  r.lab_file = "lab/default.toml";
  r.started_at = "2026-11-22T14:12:00Z";
  r.duration_s = 240;
  r.repeat = 2;
  r.kernels = {kernel("baseline", false), kernel("numab-v3", true), kernel("baseline", false)};
  model::Topology t;
  t.nodes = {{0, {0, 1}, 524288}, {1, {2, 3}, 524288}};
  t.distances = {{10, 20}, {20, 10}};
  r.machines = {{"guest", t}};
  // Per kernel, per repetition: system_s, locality_pct, numa_pte_updates, migrate_mbps, runtime_s.
  const Values values[3][2] = {{{1.000, 80, 1000, 200, 5.0}, {1.002, 82, 1100, 210, 5.2}},
                               {{1.500, 81, 1050, 205, 5.1}, {1.504, 83, 1020, 199, 5.0}},
                               {{1.001, 81, 1020, 206, 5.1}, {1.000, 80, 1080, 201, 5.1}}};
  int seq = 0;
  for (int rep = 1; rep <= 2; ++rep)
    for (std::size_t k = 0; k < 3; ++k) {
      ++seq;
      const std::string run_id = "000" + std::to_string(seq);
      auto res = run_result(run_id, r.kernels[k].name, values[k][rep - 1]);
      if (k == 1 && rep == 2) {
        res.workloads[2].verdict = Verdict::fail;
        res.workloads[2].detail = nasty_detail();
        res.verdict = Verdict::fail;
        res.reason = "cpuset-rebind: fail";
      }
      if (k == 2 && rep == 1) {
        const std::string why = "no heartbeat from the guest agent for 10 s during workload numa01/hard-bind";
        res.workloads[1].verdict = Verdict::hang;
        res.workloads[1].detail = why;
        res.workloads[1].metrics.clear();
        res.workloads[2].verdict = Verdict::error;
        res.workloads[2].detail = "not run: " + why;
        res.workloads[2].elapsed_s = 0;
        res.workloads[2].metrics.clear();
        res.verdict = Verdict::hang;
        res.reason = why;
      }
      r.runs.push_back({seq, k, rep, std::move(res)});
    }
  compute_statistics(r);
  return r;
}

inline const compare::MetricComparison* find_metric(const CompareReport& r, std::size_t comparison,
                                                    const std::string& workload, const std::string& name) {
  for (const auto& m : r.comparisons.at(comparison).metrics)
    if (m.key.workload == workload && m.key.name == name) return &m;
  return nullptr;
}

inline std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(NUMALAB_SOURCE_DIR) / relative;
}

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// A checking tool's exit code and what it printed (stdout and stderr together).
struct ToolOutcome {
  std::optional<int> exit_code;  // nullopt: killed by a signal or still running at the deadline
  std::string output;
};

// Runs argv (no shell) to completion. Fails the calling test, never skips, when the program cannot
// start: a schema check that did not run must not look like one that passed.
inline ToolOutcome run_tool(const std::vector<std::string>& argv) {
  auto dir = util::ScopedTempDir::create("numalab-tool-");
  EXPECT_TRUE(dir) << dir.error().message;
  if (!dir) return {};
  util::ChildOptions options;
  options.stdout_path = dir->path() / "output";
  options.stderr_path = options.stdout_path;
  auto child = util::ChildProcess::spawn(argv, options);
  EXPECT_TRUE(child) << argv.front() << " did not start (" << child.error().message
                     << "); install it: libxml2-utils (xmllint), python3-jsonschema";
  if (!child) return {};
  const auto status = child->wait_until(util::Deadline::after(std::chrono::seconds(60)));
  ToolOutcome out;
  if (status) out.exit_code = status->exit_code;
  std::ifstream in(options.stdout_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  out.output = text.str();
  return out;
}

inline ToolOutcome xmllint_schema(const std::filesystem::path& xml) {
  return run_tool(
      {"xmllint", "--noout", "--schema", source_path("harness/report/junit.xsd").string(), xml.string()});
}

inline ToolOutcome json_schema_check(const std::filesystem::path& doc) {
  return run_tool({"/usr/bin/python3", "-c",
                   "import json, sys, jsonschema\n"
                   "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])),\n"
                   "                    format_checker=jsonschema.FormatChecker())\n",
                   doc.string(), source_path("harness/report/kcidb.schema.json").string()});
}

}  // namespace numalab::report::test_support
