#pragma once

#include <cmath>
// Runs to store and compare, shared by the store and summary tests.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "result/run_result.hpp"
#include "store/store.hpp"

namespace numalab::store::testing {

using model::Better;
using result::Verdict;

inline std::unique_ptr<ResultsStore> open_store(const std::string& path) {
  auto store = ResultsStore::open(path);
  EXPECT_TRUE(store.has_value()) << (store ? "" : store.error().message);
  return store ? std::move(*store) : nullptr;
}

inline model::Topology three_nodes() {
  return {.nodes = {{.id = 0, .cpus = {0, 1}, .memory_kb = 786432},
                    {.id = 1, .cpus = {2, 3}, .memory_kb = 786432},
                    {.id = 2, .cpus = {}, .memory_kb = 524288}},
          .distances = {{10, 16, 22}, {16, 10, 22}, {22, 22, 10}}};
}

inline result::RunResult sample_run(const std::string& run_id) {
  result::RunResult run;
  run.run_id = run_id;
  run.lab = "numa3-memless";
  run.lab_file = "lab/numa3-memless.toml";
  run.verdict = Verdict::fail;
  run.reason = "workload migrate-pages failed on guest-b";
  run.started_at = "2024-05-01T10:00:00Z";
  run.duration_s = 42.5;
  run.run_dir = "results/runs/" + run_id;
  run.machines = {{.name = "guest-a",
                   .accel = "kvm",
                   .accel_reason = "",
                   .boot_seconds = 2.25,
                   .boot = "fresh",
                   .startup_key = "",
                   .boot_note = "",
                   .kernel = {"debian", "6.1.0-21-amd64", "ab12", "/boot/vmlinuz-6.1.0-21-amd64"},
                   .topology_seen = three_nodes(),
                   .kernel_reports = {}},
                  {.name = "guest-b",
                   .accel = "tcg",
                   .accel_reason = "KVM probe hung for 10 s; using TCG",
                   .boot_seconds = 5.5,
                   .boot = "fresh",
                   .startup_key = "",
                   .boot_note = "",
                   .kernel = {"patched", "6.1.90-numalab", "cd34", "/cache/k/cd34/bzImage"},
                   .topology_seen = std::nullopt,
                   .kernel_reports = {}}};
  run.workloads = {
      {.name = "topology-check",
       .machine = "guest-a",
       .verdict = Verdict::pass,
       .detail = "",
       .elapsed_s = 0.01,
       .metrics = {{"elapsed_s", {0.01, "s", Better::lower}}},
       .series = {}},
      {.name = "stream",
       .machine = "guest-a",
       .verdict = Verdict::pass,
       .detail = "",
       .elapsed_s = 3.5,
       .metrics = {{"triad_mb_s", {1234.5, "MB/s", Better::higher}},
                   {"copy_mb_s", {1100.25, "MB/s", Better::higher}},
                   {"remote_ratio", {0.5, "", Better::none}},
                   {"numa_pte_updates", {std::nan(""), "pages", Better::none, true}}},
       .series = {{"locality_pct", {{1, 12.5}, {2, 50}, {3.5, 97.25}}}, {"empty", {}}}},
      {.name = "migrate-pages",
       .machine = "guest-b",
       .verdict = Verdict::fail,
       .detail = "expected 512 pages on node 1, found 0 ('quoted'; DROP TABLE runs; --)",
       .elapsed_s = 1.75,
       .metrics = {},
       .series = {},
       .restored = {"cgroup /sys/fs/cgroup/numalab-rebind removed", "vm.drop_caches 0 written back"},
       .left = {"swap /export/swapfile still on (swap areas are only reported)"}},
      {.name = "hackbench",
       .machine = "guest-b",
       .verdict = Verdict::hang,
       .detail = "no heartbeat",
       .elapsed_s = 30,
       .metrics = {{"loops", {-1e-300, "count", Better::higher}}},
       .series = {}}};
  return run;
}

inline void expect_same_run(const result::RunResult& want, const result::RunResult& got) {
  EXPECT_EQ(got.run_id, want.run_id);
  EXPECT_EQ(got.lab, want.lab);
  EXPECT_EQ(got.lab_file, want.lab_file);
  EXPECT_EQ(got.verdict, want.verdict);
  EXPECT_EQ(got.reason, want.reason);
  EXPECT_EQ(got.started_at, want.started_at);
  EXPECT_EQ(got.duration_s, want.duration_s);
  EXPECT_EQ(got.run_dir, want.run_dir);
  ASSERT_EQ(got.machines.size(), want.machines.size());
  for (std::size_t i = 0; i < want.machines.size(); ++i) {
    const auto& w = want.machines[i];
    const auto& g = got.machines[i];
    SCOPED_TRACE("machine " + w.name);
    EXPECT_EQ(g.name, w.name);
    EXPECT_EQ(g.accel, w.accel);
    EXPECT_EQ(g.accel_reason, w.accel_reason);
    EXPECT_EQ(g.boot_seconds, w.boot_seconds);
    EXPECT_EQ(g.kernel.name, w.kernel.name);
    EXPECT_EQ(g.kernel.release, w.kernel.release);
    EXPECT_EQ(g.kernel.sha256, w.kernel.sha256);
    EXPECT_EQ(g.kernel.path, w.kernel.path);
    EXPECT_EQ(g.topology_seen, w.topology_seen);
  }
  ASSERT_EQ(got.workloads.size(), want.workloads.size());
  for (std::size_t i = 0; i < want.workloads.size(); ++i) {
    const auto& w = want.workloads[i];
    const auto& g = got.workloads[i];
    SCOPED_TRACE("workload " + w.name);
    EXPECT_EQ(g.name, w.name);
    EXPECT_EQ(g.machine, w.machine);
    EXPECT_EQ(g.verdict, w.verdict);
    EXPECT_EQ(g.detail, w.detail);
    EXPECT_EQ(g.elapsed_s, w.elapsed_s);
    EXPECT_EQ(g.restored, w.restored);
    EXPECT_EQ(g.left, w.left);
    ASSERT_EQ(g.metrics.size(), w.metrics.size());
    for (const auto& [name, metric] : w.metrics) {
      ASSERT_TRUE(g.metrics.contains(name)) << name;
      if (metric.absent) {
        EXPECT_TRUE(std::isnan(g.metrics.at(name).value)) << name;
      } else {
        EXPECT_EQ(g.metrics.at(name).value, metric.value) << name;
      }
      EXPECT_EQ(g.metrics.at(name).unit, metric.unit) << name;
      EXPECT_EQ(g.metrics.at(name).better, metric.better) << name;
      EXPECT_EQ(g.metrics.at(name).absent, metric.absent) << name;
    }
    // A series without points stores nothing: it reads back as no series.
    for (const auto& [name, points] : w.series) {
      if (points.empty()) continue;
      ASSERT_TRUE(g.series.contains(name)) << name;
      EXPECT_EQ(g.series.at(name), points) << name;
    }
  }
}

// Stores sample_run under a fresh run id and returns what was stored.
inline result::RunResult store_sample(ResultsStore& store) {
  auto id = store.begin_run("numa3-memless", "lab/numa3-memless.toml", "2024-05-01T10:00:00Z");
  EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().message);
  result::RunResult run = sample_run(id.value_or("0000"));
  auto ok = store.finish_run(run);
  EXPECT_TRUE(ok.has_value()) << (ok ? "" : ok.error().message);
  return run;
}

}  // namespace numalab::store::testing
