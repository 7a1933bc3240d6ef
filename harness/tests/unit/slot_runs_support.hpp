#pragma once
// Compares stored as run_compare stores them (the plan first, each run as it ends), whose runs
// carry a slot effect: the host's load in each repetition, shared by the kernels of that slot.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "report/compare_report.hpp"
#include "result/run_result.hpp"
#include "run/compare_runner.hpp"
#include "store/store.hpp"

namespace numalab::test_support {

inline std::unique_ptr<store::ResultsStore> memory_store() {
  auto s = store::ResultsStore::open(":memory:");
  EXPECT_TRUE(s.has_value());
  return s ? std::move(*s) : nullptr;
}

// One boot of a one-machine lab whose workload numa02 reports elapsed_s and a rate.
inline result::RunResult slot_boot(const std::string& lab, const std::string& kernel, double elapsed) {
  result::RunResult r;
  r.lab = lab;
  r.lab_file = "lab/" + lab + ".toml";
  r.started_at = "2026-11-22T10:00:00Z";
  r.verdict = result::Verdict::pass;
  r.duration_s = elapsed + 5;
  result::MachineResult m;
  m.name = "guest";
  m.accel = "tcg";
  m.kernel = {kernel, "6.1.192", "sha-" + kernel, "/k/" + kernel};
  r.machines = {m};
  result::WorkloadResult w{"numa02", "guest", result::Verdict::pass, "", elapsed, {}, {}};
  w.metrics["elapsed_s"] = {elapsed, "s", model::Better::lower};
  w.metrics["migrate_mbps"] = {1000 / elapsed, "MB/s", model::Better::higher};
  r.workloads = {w};
  return r;
}

// A compare of `kernels` (the first the baseline) over 5 slots whose load moves every kernel of
// the slot alike (up to 50 %), each boot with 1 % of noise of its own; every kernel but the
// baseline is `change` times slower. Returns the compare's id.
inline std::string slot_compare(store::ResultsStore& s, const std::string& lab,
                                const std::vector<std::string>& kernels, double change, bool side_by_side) {
  const double load[] = {1.0, 1.5, 0.9, 1.3, 1.1};
  const double own[][5] = {{1.004, 0.991, 1.012, 0.996, 1.003},
                           {0.993, 1.008, 0.998, 1.011, 0.990},
                           {1.006, 0.995, 1.001, 0.989, 1.009}};
  store::CompareRecord rec;
  rec.lab = lab;
  rec.lab_file = "lab/" + lab + ".toml";
  rec.lab_sha256 = "sha-of-" + lab;
  rec.started_at = "2026-11-22T10:00:00Z";
  rec.repeat = 5;
  compare::ComparisonOptions options;
  options.side_by_side = side_by_side;
  rec.options = report::options_json(options);
  for (const auto& name : kernels) {
    report::CompareKernel k;
    k.name = name;
    k.sha256 = "sha-" + name;
    rec.kernels.push_back(report::to_json(k));
  }
  rec.plan = run::interleaved_plan(kernels.size(), 5);
  auto id = s.begin_compare(rec);
  EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
  for (const auto& row : rec.plan) {
    const auto k = static_cast<std::size_t>(row.kernel);
    const auto slot = static_cast<std::size_t>(row.repetition - 1);
    auto run = slot_boot(lab, kernels[k], 10 * load[slot] * own[k % 3][slot] * (k == 0 ? 1 : change));
    auto run_id = s.begin_run(run.lab, run.lab_file, run.started_at);
    run.run_id = *run_id;
    EXPECT_TRUE(s.finish_run(run).has_value());
    EXPECT_TRUE(s.record_compare_run(*id, row.seq, *run_id).has_value());
  }
  return *id;
}

}  // namespace numalab::test_support
