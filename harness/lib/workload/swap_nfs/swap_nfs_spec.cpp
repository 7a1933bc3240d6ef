#include "workload/swap_nfs/swap_nfs_spec.hpp"

#include "workload/swap_nfs/swap_nfs_plan.hpp"

namespace numalab::workload {

const WorkloadSpec& swap_nfs_spec() {
  static const WorkloadSpec spec = {
      "swap-nfs",
      "swap over NFS: mounts the server machine's export, swaps on a file there and runs a hog that touches "
      "ratio x RAM with a pattern in every page and reads every page back; a page that comes back wrong is a "
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
        false,
        std::nullopt,
        std::nullopt,
        "3"},
       {"export",
        ParamType::string,
        {},
        "the exported path on the server (default /export)",
        false,
        std::nullopt,
        std::nullopt,
        k_default_export},
       {"ratio",
        ParamType::number,
        {},
        "the hog's memory over the client's MemTotal, 0.1 to 16 (default 2.0)",
        false,
        k_min_swap_ratio,
        k_max_swap_ratio,
        k_default_swap_ratio},
       {"passes",
        ParamType::integer,
        {},
        "write-then-verify passes over every page, 1 to 1000 (default 1)",
        false,
        1,
        k_max_swap_passes,
        1},
       {"threads",
        ParamType::integer,
        {},
        "the hog's threads, 1 to 64, each with its own slice of the pages: more tasks fault and reclaim at "
        "once "
        "(default 1)",
        false,
        1,
        k_max_swap_hog_threads,
        1},
       {"swap_size",
        ParamType::size,
        {},
        "the swap file (default: the hog's size plus 32M; pages in flight to the server hold memory and swap "
        "at "
        "once)",
        false,
        64 << 20},
       {"stall_timeout",
        ParamType::duration,
        {},
        "the host calls the run a hang when none of the progress counters (hog pages, pswpout, pswpin, RPC "
        "calls) moved for this long (default 60s); set, it is also how long a silent agent is given",
        false},
       {"net_load",
        ParamType::boolean,
        {},
        "receive a TCP stream from the server (its nfs-server workload sends one to whoever connects) on an "
        "ordinary socket while the hog runs: traffic that competes with the swap socket for memory (default "
        "false; not a progress counter)",
        false,
        std::nullopt,
        std::nullopt,
        false}}};
  return spec;
}

}  // namespace numalab::workload
