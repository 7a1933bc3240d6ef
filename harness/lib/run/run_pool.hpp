#pragma once
// Several runs at once on one host, served by one loop. The runs to do are a list of jobs in order;
// a job starts when nothing runs, or when it fits beside what runs: at most `jobs` runs, and (unless
// the user asked to oversubscribe) their vCPU threads within the host's cores and their guest
// memory within its free memory less a margin. Jobs of one group (a compare's slot: one repetition
// of every kernel) start together, so that whatever the host does to one it does to the others.
// The loop polls every machine of every run (their consoles, agents, QMP, ending threads) and the
// stop request; a run whose machines all finished is stored at once and handed to `ended`. Ctrl-C
// ends every running run with verdict error, stores it, and starts nothing more.

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "lab/lab.hpp"
#include "run/lab_runner.hpp"
#include "run/prepared_run.hpp"

namespace numalab::run {

// What a run holds while it runs.
struct RunCost {
  int vcpus = 0;
  std::uint64_t memory_bytes = 0;  // guest RAM and QEMU's own, every machine
};
RunCost operator+(RunCost a, RunCost b);
RunCost cost_of(const PreparedRun& prepared);
// QEMU's own memory beside a guest's RAM, counted per VM.
inline constexpr std::uint64_t k_qemu_overhead_bytes = 192ULL << 20;

// What the host can give runs: its cores, and its free memory less a margin.
struct HostCapacity {
  int cores = 1;
  std::uint64_t memory_bytes = 0;
};
// sched_getaffinity's CPUs and MemAvailable less max(1 GiB, 10 %).
HostCapacity host_capacity();

struct PoolLimits {
  int jobs = 0;                // at most this many runs at once; 0: as many as fit
  bool oversubscribe = false;  // start up to `jobs` runs even beyond the host's cores and memory
  HostCapacity host;
};

// Whether a group of `next` runs (costing `next_cost` together) may start beside `running` runs.
// Nothing running: always (a run larger than the host runs alone, as it always did).
bool fits(int running, RunCost running_cost, int next, RunCost next_cost, const PoolLimits& limits);
// Why a group of runs of this cost does not fit alone beside nothing but itself ("" when it does):
// for the note that says why a compare runs one at a time.
std::string why_not_side_by_side(int runs, RunCost cost, const PoolLimits& limits);

struct PoolJob {
  const lab::Lab* lab = nullptr;
  const PreparedRun* prepared = nullptr;
  int group = 0;  // consecutive jobs with one group start together
};

struct PoolHooks {
  // Before a job's run begins (a compare checks that its kernel image is unchanged). An error stops
  // the pool: running runs end with verdict error and are stored, the error is returned.
  std::function<util::Result<void>(std::size_t job)> starting;
  // A job's run, stored. An error stops the pool likewise.
  std::function<util::Result<void>(std::size_t job, const RunOutcome& outcome)> ended;
  // Asked before each group starts; false: start nothing more and let the runs under way finish
  // (a repro that reproduced). Unset: true.
  std::function<bool()> keep_starting;
};

// Runs `jobs` in order, each hook called with the job's index. Returns the signal that stopped
// them, or 0 when every job ran.
util::Result<int> run_pool(std::span<const PoolJob> jobs, const PoolLimits& limits, const PoolHooks& hooks,
                           const RunSettings& s, RunEnvironment& env);

}  // namespace numalab::run
