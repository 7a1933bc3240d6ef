#include "workload/numa_balancing/numa_balancing_spec.hpp"

namespace numalab::workload {

const std::vector<ParamSpec>& numa_balancing_params() {
  static const std::vector<ParamSpec> params = {
      {"variant",
       ParamType::string,
       {"hard-bind", "inverse-bind"},
       "hard-bind: threads and memory bound to the same node (the best placement); inverse-bind: memory "
       "bound to another node than the threads (the worst); absent: the kernel's NUMA balancing decides",
       false},
      {"memory",
       ParamType::size,
       {},
       "memory the workload writes, all processes together (default: half the free memory, at most 256M; "
       "unbound, at most 3/4 of the free memory of the first node with CPUs and memory, where it is all "
       "first "
       "touched)",
       false,
       1},
      {"threads",
       ParamType::integer,
       {},
       "threads in all, 1 to 1024, split between numa01's two processes (default: one per CPU; numa02-smt: "
       "one "
       "per two CPUs)",
       false,
       1,
       1024},
      {"duration",
       ParamType::duration,
       {},
       "how long the threads keep touching their memory (default 20s)",
       false,
       0.001,
       std::nullopt,
       "20s"},
  };
  return params;
}

const std::vector<WorkloadSpec>& numa_balancing_specs() {
  static const std::vector<WorkloadSpec> specs = {
      {"numa01",
       "NUMA balancing: two processes whose threads all write one buffer per process (autonumabench numa01)",
       numa_balancing_params()},
      {"numa01-thread-alloc",
       "NUMA balancing: two processes whose threads each write their own slice of the process's buffer",
       numa_balancing_params()},
      {"numa02", "NUMA balancing: one process, one thread per CPU, each writing a private slice",
       numa_balancing_params()},
      {"numa02-smt", "NUMA balancing: numa02 with one thread per two CPUs", numa_balancing_params()},
  };
  return specs;
}

}  // namespace numalab::workload
