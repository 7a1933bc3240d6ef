#pragma once
// One pass of the cpuset-rebind workload over one cgroup interface (v1 or v2): nine tasks with
// bind, preferred and interleave policies (no flag, MPOL_F_STATIC_NODES, MPOL_F_RELATIVE_NODES)
// in a cpuset whose mems then walk through rebind_mems_walk; then the tasks move through cpusets
// with the mems of rebind_move_walk; on v1 a last change with memory_migrate off. After every
// change each task's get_mempolicy, its numa_maps policy and the node of each of its pages are
// compared with the kernel's rules (workload/cpuset_rebind/mempolicy_model.hpp,
// workload/common/node_mapping.hpp).

#include <chrono>
#include <cstddef>
#include <expected>
#include <string>
#include <vector>

#include "common/cpuset_fs.hpp"
#include "common/workload.hpp"

namespace numalab::guest {

struct RebindTally {
  std::size_t checks = 0;
  std::size_t failed = 0;
  std::size_t pages_checked = 0;
  std::size_t cpuset_changes = 0;
  double migration_s = 0;             // time in the writes that change mems or move tasks
  std::vector<std::string> failures;  // every failed check's message, in order
};

// Runs the pass; an error is the workload's own failure (a cgroup file that cannot be written, a
// task that dies), not a kernel that remaps wrongly, which lands in the tally.
std::expected<void, std::string> run_rebind_pass(WorkloadContext& ctx, CgroupVersion version,
                                                 const workload::NodeMask& memory_nodes, std::size_t pages,
                                                 RebindTally& tally);

}  // namespace numalab::guest
