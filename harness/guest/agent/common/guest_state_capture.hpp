#pragma once
// The guest state fingerprint (workload/common/guest_state.hpp) read from the running kernel: the
// watched sysctls under proc/sys, the mounts and the directories of every cgroup mount, the swap
// areas, the agent's own cgroup, affinity, mems, memory policy, oom_score_adj and locked memory,
// and its child processes. Only reads; bounded (k_max_cgroup_dirs directories, the /proc files'
// own bounds). What cannot be read is left out, on both sides alike.

#include <filesystem>

#include "workload/common/guest_state.hpp"

namespace numalab::guest {

inline constexpr std::size_t k_max_cgroup_dirs = 1024;

// root: where proc/ and sys/ are ("/" in a guest). The agent's own values are the calling
// thread's (the affinity, the memory policy) and process's.
workload::GuestState capture_guest_state(const std::filesystem::path& root);

}  // namespace numalab::guest
