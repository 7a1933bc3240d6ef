#pragma once
// How a child of the agent ended, and the one way the agent reaps a child of its own: wait4 with
// WNOHANG, again until a deadline, never a blocking waitpid (a child stuck in the kernel would
// block the agent with it). Used by ForkedChild (forked_child.hpp) and by the programs the agent
// execs (guest_program.hpp). The caller holds a ChildReapingPause (child_reaping_pause.hpp), or
// init's SIGCHLD handler may reap the child first: it is then lost.

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <optional>

#include "util/deadline.hpp"

namespace numalab::guest {

struct ChildEnd {
  std::optional<int> wait_status;  // as wait4(2) gave it; nullopt: lost (reaped elsewhere, ECHILD)
  struct rusage usage {};          // its resource usage (zero when lost)
};

// How long the agent waits for a child it has SIGKILLed to be gone: one normally is in
// milliseconds, one holding gigabytes under TCG in a second or two. One stuck in the kernel may
// never be: past this bound it is abandoned (forked_child.hpp says what becomes of it).
inline constexpr std::chrono::milliseconds k_kill_bound{5000};

// Reaps `pid` (> 0) once it has exited, looking at least once and then every few milliseconds
// until the deadline: how it ended, or nullopt while it still runs.
std::optional<ChildEnd> reap_child(pid_t pid, util::Deadline deadline);

// The deadline that has already passed: one look, no waiting.
inline util::Deadline no_wait() { return util::Deadline(util::TimePoint::min()); }

}  // namespace numalab::guest
