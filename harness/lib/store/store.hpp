#pragma once
// The results store: every run, its machines, kernels, workloads, verdicts and metrics, in SQLite
// (WAL, a schema version in PRAGMA user_version that migrates forward, one transaction per write).
// Run folders with logs sit beside the database: RESULTS/runs/NNNN/; the lock files of the runs
// under way in RESULTS/locks/.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "result/run_result.hpp"
#include "store/compare_store.hpp"
#include "util/error.hpp"

namespace numalab::store {

inline constexpr int k_schema_version = 7;

struct RunSummaryRow {
  std::string run_id;
  std::string lab;
  std::string started_at;
  std::string verdict;  // "running" while a run is under way
  double duration_s = 0;
  std::string kernels;  // comma-separated kernel names
};

// A run left "running" by a numalab that is gone (killed with SIGKILL, crashed, its machine
// rebooted), which opening the store recorded as error.
struct OrphanedRun {
  std::string run_id;
  std::string lab;
  std::string started_at;
  std::int64_t pid = 0;  // the numalab that ran it; 0 when its lock file did not say

  bool operator==(const OrphanedRun&) const = default;
};

class ResultsStore {
 public:
  // Opens (creating and migrating as needed) RESULTS/numalab.db. ":memory:" opens an in-memory
  // database for tests.
  static util::Result<std::unique_ptr<ResultsStore>> open(const std::string& db_path);
  ~ResultsStore();
  ResultsStore(const ResultsStore&) = delete;
  ResultsStore& operator=(const ResultsStore&) = delete;

  // Reserves a run id and records the run as "running", so a run that dies leaves a trace. The run
  // is this process's (an flock on RESULTS/locks/NNNN.lock, held by this store) until finish_run
  // records its end; if the process dies first, or closes the store first, the next numalab that
  // opens the store records the run as error (orphaned_runs).
  util::Result<std::string> begin_run(const std::string& lab, const std::string& lab_file,
                                      const std::string& started_at);
  // Writes the finished run (machines, kernels, workloads, metrics) in one transaction, and ends
  // this process's claim on it.
  util::Result<void> finish_run(const result::RunResult& run);
  // The runs this open found left running by a numalab that is gone, now recorded as error with
  // the reason "interrupted: the numalab that ran it (pid N) is gone". The store says nothing
  // itself: the CLI prints a note for each.
  const std::vector<OrphanedRun>& orphaned_runs() const;
  util::Result<std::vector<RunSummaryRow>> list_runs(int limit = 50);
  // nullopt when no such run.
  util::Result<std::optional<result::RunResult>> load_run(const std::string& run_id);
  int schema_version() const;

  // Comparisons (numalab compare): the plan first, then each run as it finishes, then the end.
  util::Result<std::string> begin_compare(const CompareRecord& record);
  util::Result<void> record_compare_run(const std::string& compare_id, int seq, const std::string& run_id);
  util::Result<void> end_compare(const std::string& compare_id, const std::string& state, double duration_s);
  // nullopt when no such compare.
  util::Result<std::optional<CompareRecord>> load_compare(const std::string& compare_id);
  util::Result<std::vector<CompareSummaryRow>> list_compares(int limit = 50);
  // The compares of a lab, by its name or its lab file's sha256, oldest first (compare --plan).
  util::Result<std::vector<std::string>> compares_of_lab(const std::string& lab,
                                                         const std::string& lab_sha256);

 private:
  struct Impl;
  explicit ResultsStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace numalab::store
