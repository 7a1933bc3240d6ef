#pragma once
// How long a guest may look stuck while its agent still heartbeats before the host calls a hang:
// progress counters that do not move, a task in uninterruptible sleep whose context switches do
// not move. The host's default (run::WatchLimits::stall_timeout) and the guest's waits that must
// outlast it (the trigger workload's wait after a deadlock) both read it here. Shared with the
// guest agent: the standard library only.

#include <chrono>

namespace numalab::model {

inline constexpr std::chrono::seconds k_default_stall_window{60};

}  // namespace numalab::model
