#pragma once
// The agent's side of the NUMA-balancing worker processes (numa_balancing_worker.hpp): forks them, reads
// their report pipes, tells them to stop, and reaps them with their resource usage. Whatever the
// path out, each process's ForkedChild SIGKILLs and reaps it on destruction: workers never outlive
// the workload. Hold a ChildReapingPause while a pool exists, so init's SIGCHLD handler leaves
// the workers to it.

#include <sys/resource.h>
#include <sys/types.h>

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "common/forked_child.hpp"
#include "util/deadline.hpp"
#include "workloads/numa_balancing/numa_balancing_worker.hpp"

namespace numalab::guest {

struct WorkerProcess {
  ForkedChild process;  // control pipe: a byte says stop; report pipe: WorkerRecords
  std::vector<workload::ThreadLayout> threads;
  std::vector<pid_t> tids;  // by thread index; 0 until reported
  bool touching = false;
  bool done = false;
  bool report_closed = false;  // end-of-file: the process has exited
  std::uint64_t bytes_written = 0;
  std::string failure;  // what the process said went wrong
  std::string partial;  // bytes of a record not yet whole
  bool reaped = false;  // false after reap() only for a process stuck in the kernel, abandoned
  bool killed = false;  // SIGKILLed by the pool: it did not stop in time
  int wait_status = 0;
  struct rusage usage {};
};

class NumaWorkerPool {
 public:
  // Forks one process per spec; the specs' control_fd and report_fd are set here.
  static std::expected<NumaWorkerPool, std::string> start(std::vector<WorkerSpec> specs);
  NumaWorkerPool(NumaWorkerPool&&) = default;
  NumaWorkerPool& operator=(NumaWorkerPool&&) = delete;
  NumaWorkerPool(const NumaWorkerPool&) = delete;

  // Reads reports until the deadline, or earlier once `enough` holds. Returns early too when a
  // process fails or its report pipe closes.
  template <class Pred>
  void pump_until(util::Deadline deadline, Pred enough) {
    while (!enough() && !deadline.expired() && !broken()) pump_once(deadline);
  }
  bool all_touching() const;
  bool all_done_or_gone() const;
  // The first failure a process reported, or a process that ended before it was told to stop.
  std::optional<std::string> broken_reason() const;
  bool broken() const { return broken_reason().has_value(); }

  void tell_stop();
  // Waits for every process until the deadline, then SIGKILLs what is left and reaps it
  // (ForkedChild::kill_and_reap: bounded).
  void reap(util::Deadline deadline);
  // Exit problems after reap: "worker process 2 was killed by signal 9", or nullopt.
  std::optional<std::string> exit_problem() const;
  double user_s() const;
  double system_s() const;

  const std::vector<WorkerProcess>& processes() const { return processes_; }

 private:
  NumaWorkerPool() = default;
  void pump_once(util::Deadline deadline);
  void read_reports(WorkerProcess& p);
  void handle(WorkerProcess& p, const WorkerRecord& r);
  void kill_and_reap_all();
  static void record_end(WorkerProcess& p, const ChildEnd& end);

  std::vector<WorkerProcess> processes_;
  bool stop_told_ = false;
};

}  // namespace numalab::guest
