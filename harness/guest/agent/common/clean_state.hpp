#pragma once
// The clean-state contract: every workload starts from the state the boot gave. Before a workload
// the agent records the guest state's fingerprint (guest_state_capture.hpp); after it, it reads the
// fingerprint again, puts back what the workload changed (workload/common/guest_state_restore.hpp:
// its leftover children killed, its cgroups removed and tasks moved back, the agent's affinity,
// memory policy and oom_score_adj reset, sysctls written back, its mounts detached) and checks
// once more. What was put back and what is still different go on the workload's end message
// (agent::StepEnd::restored and ::left).
//
// Only PID 1 restores: an agent started by hand on a host (--port) would otherwise undo changes
// made by the host's other processes meanwhile. It still checks and reports them as left.

#include <filesystem>
#include <string>
#include <vector>

#include "workload/common/guest_state.hpp"
#include "workload/common/guest_state_restore.hpp"

namespace numalab::guest {

class CleanState {
 public:
  // Records the fingerprint now.
  CleanState(std::filesystem::path root, bool may_restore);

  // After the workload: compares, restores (when allowed) and compares again.
  workload::CleanStateReport restore();

  // What the contract cannot restore, as the workload finds it: the time since boot, each node's
  // free memory and the agent's own address space, which the workload's forked children inherit
  // ("4.21 s after boot; MemFree node 0 301 MiB, node 1 480 MiB; the agent: 17 mappings, VmSize
  // 86176 kB, VmRSS 3324 kB").
  std::string unrestored_state() const;

 private:
  std::filesystem::path root_;
  bool may_restore_;
  workload::GuestState before_;
};

// Takes the steps in order; returns one line per step that failed ("rmdir /sys/fs/cgroup/a:
// Device or resource busy"). Every step is tried, whatever the ones before did.
std::vector<std::string> take_restore_steps(const std::vector<workload::RestoreStep>& steps,
                                            const std::filesystem::path& root);

}  // namespace numalab::guest
