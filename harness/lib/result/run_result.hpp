#pragma once
// What one run produced: the values the monitor hands to the store and to the JSON summary.
// Field names follow the JSON summary contract in shared/design.md.

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/metric_direction.hpp"
#include "model/topology.hpp"
#include "monitor/kernel_report.hpp"
#include "result/verdict.hpp"

namespace numalab::result {

struct KernelIdentity {
  std::string name;     // "debian", a [kernel.NAME], or the path given
  std::string release;  // uname -r as the guest reported it ("" if it never said hello)
  std::string sha256;   // of the kernel image file
  std::string path;     // the image booted
};

struct MetricValue {
  double value = 0;  // NaN when absent
  std::string unit;
  model::Better better = model::Better::none;
  bool absent = false;  // the guest kernel has no such counter

  bool operator==(const MetricValue&) const = default;
};

// One point of a workload's time series (the agent's sample messages).
struct SeriesPoint {
  double at_s = 0;  // seconds since the workload started
  double value = 0;

  bool operator==(const SeriesPoint&) const = default;
};

// What a guest may send, at most: more series or points are dropped (and counted in the transcript).
inline constexpr std::size_t k_max_series_per_workload = 32;
inline constexpr std::size_t k_max_points_per_series = 7200;  // two hours at one a second

struct WorkloadResult {
  std::string name;
  std::string machine;
  Verdict verdict = Verdict::error;
  std::string detail;  // why it did not pass
  double elapsed_s = 0;
  std::map<std::string, MetricValue> metrics;
  std::map<std::string, std::vector<SeriesPoint>> series;  // name -> points in arrival order
  // The clean-state contract (guest/agent/common/clean_state.hpp): what the agent put back after
  // the workload ("cgroup /sys/fs/cgroup/numalab-rebind removed"), and what stayed different.
  std::vector<std::string> restored = {};
  std::vector<std::string> left = {};
};

struct MachineResult {
  std::string name;
  std::string accel;  // "kvm" or "tcg"
  std::string accel_reason;
  double boot_seconds = 0;  // QEMU started -> agent hello (restored: -> the guest runs again)
  // "fresh" (a cold boot) or "restore" (the guest of startup cache entry `startup_key`, booted and
  // saved once). boot_note: why a machine asked to restore booted fresh.
  std::string boot = "fresh";
  std::string startup_key;
  std::string boot_note;
  KernelIdentity kernel;
  std::optional<model::Topology> topology_seen;  // from the agent's hello
  // What the guest kernel reported on the console (hung task, lockdep, Oops, ...), in order, at
  // most k_max_kernel_reports; titles are normalised so one bug has one title across runs.
  std::vector<monitor::KernelReport> kernel_reports;
};

inline constexpr std::size_t k_max_kernel_reports = 64;

// A progress counter of one machine that moved again after a fault ended.
struct CounterResumed {
  std::string machine;
  std::string counter;  // without "progress.": "pswpin", "pages_done", "rpc_calls"
  double after_s = 0;   // from the fault's end to the counter's first change
};

// A [[fault]] as it happened. Times are seconds after every machine's workloads started.
struct FaultRecord {
  std::string kind;  // "pause", "link-down"
  std::string machine;
  std::string network;  // link-down only
  std::string after;    // the progress counter whose first move starts its clock; "": the workloads' start
  double planned_at_s = 0;
  double duration_s = 0;
  std::optional<double> applied_at_s;  // absent: never applied (the run ended first, or QMP failed)
  std::optional<double> ended_at_s;
  // From the fault's end to the first progress.* counter that moved on any machine afterwards.
  std::optional<double> first_progress_after_s;
  // Each counter that moved after the fault's end, with the time to its first change, soonest
  // first: swap-nfs's pswpin is the first swap-in after the fault, pages_done the hog's next page.
  // Counters that never moved again are not listed.
  std::vector<CounterResumed> resumed;
  std::string detail;  // why it was not applied, or ended late
};

struct RunResult {
  std::string run_id;  // "0001"
  std::string lab;     // the lab's name
  std::string lab_file;
  Verdict verdict = Verdict::error;
  std::string reason;      // one line saying why the verdict is not pass
  std::string started_at;  // ISO 8601 UTC
  double duration_s = 0;
  std::string run_dir;  // results/runs/0001
  std::vector<MachineResult> machines;
  std::vector<WorkloadResult> workloads;
  std::vector<FaultRecord> faults;
};

// The JSON summary of shared/design.md ("--json FILE").
nlohmann::json to_summary_json(const RunResult& r);

}  // namespace numalab::result
