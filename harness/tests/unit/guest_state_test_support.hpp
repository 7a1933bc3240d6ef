#pragma once
// The guest state a test starts from (workload/common/guest_state.hpp): what a freshly booted
// 4-CPU, 2-node guest's agent records before its first workload.

#include "workload/common/guest_state.hpp"

namespace numalab::workload::testing {

inline GuestState booted() {
  GuestState s;
  s.sysctls = {{"kernel/numa_balancing", "1"}, {"kernel/sysrq", "438"}, {"vm/zone_reclaim_mode", "0"}};
  s.mounts = {{"/", "rootfs"}, {"/proc", "proc"}, {"/sys/fs/cgroup", "cgroup2"}};
  s.cgroups = {{"/sys/fs/cgroup", ""}};
  s.agent = {"/", "0-3", "0-1", 0, "", 0, "0 kB"};
  return s;
}

}  // namespace numalab::workload::testing
