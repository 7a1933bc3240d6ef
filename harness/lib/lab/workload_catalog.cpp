#include "lab/workload_catalog.hpp"

namespace numalab::lab {

namespace {

// The NUMA-balancing workloads (autonumabench's numa01, numa01-thread-alloc, numa02, numa02-smt)
// share their parameters.
std::vector<ParamSpec> numa_balancing_params() {
  return {
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
       false},
      {"threads",
       ParamType::integer,
       {},
       "threads in all, 1 to 1024, split between numa01's two processes (default: one per CPU; numa02-smt: "
       "one "
       "per two CPUs)",
       false},
      {"duration",
       ParamType::duration,
       {},
       "how long the threads keep touching their memory (default 20s)",
       false},
  };
}

}  // namespace

const std::vector<WorkloadSpec>& workload_catalog() {
  static const std::vector<WorkloadSpec> catalog = {
      {"topology-check",
       "verifies, inside the guest, that the guest sees exactly the declared NUMA topology",
       {}},
      {"trigger",
       "makes the guest kernel misbehave on purpose, to test numalab's hang and crash verdicts",
       {{"action",
         ParamType::string,
         {"panic", "hang", "deadlock", "oops", "bug", "gpf", "soft-lockup", "hard-lockup", "hung-task",
          "sleep-in-atomic", "bad-unlock", "held-lock-freed", "inconsistent", "irq-inversion", "wq-lockup"},
         "panic: sysrq-c panics the kernel; hang: the agent stops all output, heartbeats included; the "
         "others "
         "need a kernel built with patches/test-deadlock-trigger, whose README says what each does",
         true},
        {"how",
         ParamType::string,
         {"self", "abba", "rwsem"},
         "deadlock: self, the writing task takes one mutex twice (default); abba, two kernel threads take "
         "two "
         "mutexes in opposite order; rwsem, the same with a rw-semaphore (one holds it for writing and wants "
         "the "
         "mutex the other holds while it waits to read)",
         false},
        {"duration",
         ParamType::duration,
         {},
         "soft-lockup, hard-lockup, hung-task, wq-lockup: how long the kernel spins or sleeps (default 30s; "
         "wq-lockup 40s)",
         false},
        {"wait",
         ParamType::duration,
         {},
         "deadlock, oops, bug, gpf: how long the agent keeps the machine up for the host to call the hang or "
         "crash; still running after it, the workload fails (default 60s)",
         false}}},
      {"numa01",
       "NUMA balancing: two processes whose threads all write one buffer per process (autonumabench numa01)",
       numa_balancing_params()},
      {"numa01-thread-alloc",
       "NUMA balancing: two processes whose threads each write their own slice of the process's buffer",
       numa_balancing_params()},
      {"numa02", "NUMA balancing: one process, one thread per CPU, each writing a private slice",
       numa_balancing_params()},
      {"numa02-smt", "NUMA balancing: numa02 with one thread per two CPUs", numa_balancing_params()},
      {"cpuset-rebind",
       "cpuset mempolicy rebinding: bind, preferred and interleave policies with their flags, cpuset mems "
       "changed and tasks moved; get_mempolicy and page placement checked against the kernel's rules",
       {{"cgroup",
         ParamType::string,
         {"v1", "v2", "both"},
         "which cpuset interface to test (default both)",
         false},
        {"pages", ParamType::integer, {}, "pages each task places and checks (default 64)", false}}},
      {"page-migration",
       "manual page migration: first-touch placement, migrate_pages between disjoint and overlapping node "
       "sets, move_pages in bulk; every page keeps its relative node",
       {{"memory",
         ParamType::size,
         {},
         "memory each worker first-touches and has migrated (default 32M; at most half the smallest memory "
         "node)",
         false},
        {"threads",
         ParamType::integer,
         {},
         "threads placing memory by first touch, 1 to 256 (default: one per node with memory)",
         false}}},
      {"cpuset-churn",
       "cpusets created, destroyed, tasks moved and mems changed in a loop under memory pressure; a stall is "
       "a hang",
       {{"duration", ParamType::duration, {}, "how long to churn (default 20s)", false},
        {"pressure",
         ParamType::number,
         {},
         "share of the guest's free memory kept allocated (default 0.9)",
         false},
        {"stall_timeout",
         ParamType::duration,
         {},
         "how long without an ended churn iteration is a hang (default 60s; evidence is taken at half of it)",
         false}}},
      {"nfs-server",
       "the kernel's NFS server (knfsd, Debian's nfs-utils) exporting a tmpfs over NFSv3 and NFSv4.2; "
       "checked "
       "over 127.0.0.1 before it says ready, then serves until the host releases it or serve_for",
       {{"export", ParamType::string, {}, "the exported path, a tmpfs (default /export)", false},
        {"size",
         ParamType::size,
         {},
         "the tmpfs's size limit (default 1G; its pages use the server's RAM)",
         false},
        {"threads", ParamType::integer, {}, "nfsd threads, 1 to 256 (default 8)", false},
        {"serve_for",
         ParamType::duration,
         {},
         "the longest it serves without a release from the host (default 30m)",
         false}}},
      {"swap-nfs",
       "swap over NFS: mounts the server machine's export, swaps on a file there and runs a hog that touches "
       "ratio x RAM with a pattern in every page and reads every page back; a page that comes back wrong is "
       "a "
       "fail; progress samples let the host tell a deadlock from slowness",
       {{"server",
         ParamType::machine,
         {},
         "the lab machine that serves the export (its nfs-server workload); this machine's workloads start "
         "once "
         "it is ready",
         true},
        {"nfs_version",
         ParamType::string,
         {"3", "4.2"},
         "NFS protocol version (default 3, without locking)",
         false},
        {"export", ParamType::string, {}, "the exported path on the server (default /export)", false},
        {"ratio",
         ParamType::number,
         {},
         "the hog's memory over the client's MemTotal, 0.1 to 16 (default 2.0)",
         false},
        {"passes",
         ParamType::integer,
         {},
         "write-then-verify passes over every page, 1 to 1000 (default 1)",
         false},
        {"threads",
         ParamType::integer,
         {},
         "the hog's threads, 1 to 64, each with its own slice of the pages: more tasks fault and reclaim at "
         "once "
         "(default 1)",
         false},
        {"swap_size",
         ParamType::size,
         {},
         "the swap file (default: the hog's size plus 32M; pages in flight to the server hold memory and "
         "swap at once)",
         false},
        {"stall_timeout",
         ParamType::duration,
         {},
         "the host calls the run a hang when none of the progress counters (hog pages, pswpout, pswpin, RPC "
         "calls) "
         "moved for this long (default 60s); set, it is also how long a silent agent is given",
         false},
        {"net_load",
         ParamType::boolean,
         {},
         "receive a TCP stream from the server (its nfs-server workload sends one to whoever connects) on an "
         "ordinary socket while the hog runs: traffic that competes with the swap socket for memory (default "
         "false; not a progress counter)",
         false}}},
  };
  return catalog;
}

const WorkloadSpec* find_workload(std::string_view name) {
  for (const auto& w : workload_catalog())
    if (w.name == name) return &w;
  return nullptr;
}

}  // namespace numalab::lab
