#pragma once
// A worker process of the NUMA-balancing workloads, forked from the agent: it binds its buffer's
// slices (mbind) as its placement says, first-touches all of it (from one node's CPUs when nothing
// is bound), starts one thread per ThreadLayout, each bound (sched_setaffinity) as placed, or when
// unbound held on its start node until every thread has started and then let go, writing its
// slice over and over; it stops when the agent writes a byte to its control pipe.
// It talks back only through fixed-size records on its report pipe; it never touches the agent's
// port, the console or std::cout, and ends with _exit.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "workload/numa_balancing/numa_placement.hpp"

namespace numalab::guest {

enum class WorkerEvent : std::int32_t {
  thread_started = 1,  // index: the thread, value: its TID
  touching = 2,        // every thread is set up and writing
  done = 3,            // value: bytes written by all threads
  failed = 4,          // index: the WorkerStep, value: errno
};

enum class WorkerStep : std::int32_t {
  mbind = 1,
  first_touch_affinity,
  thread_affinity,
  thread_start,
  node_id
};

// "mbind of a slice", ...: what failed, for the outcome's detail.
std::string describe(WorkerStep step);

// One record of the report pipe, written in one write(2) (smaller than PIPE_BUF, so whole).
struct WorkerRecord {
  std::int32_t event = 0;
  std::int32_t index = 0;
  std::int64_t value = 0;
};

struct WorkerSpec {
  std::byte* base = nullptr;  // the buffer: slices of slice_bytes, slice_stride apart
  std::size_t slice_bytes = 0;
  std::size_t slice_stride = 0;
  std::size_t slices = 0;
  std::vector<workload::ThreadLayout> threads;  // this process's threads
  std::vector<int> first_touch_cpus;            // where to first touch from; empty: anywhere
  std::vector<int> all_cpus;                    // the affinity once the first touch is done
  int control_fd = -1;                          // a byte (or end-of-file) here: stop
  int report_fd = -1;
  std::chrono::milliseconds give_up_after{0};  // stop alone if the agent never says so
};

[[noreturn]] void run_worker_process(const WorkerSpec& spec);

}  // namespace numalab::guest
