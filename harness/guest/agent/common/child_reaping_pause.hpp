#pragma once
// As PID 1 the agent reaps every child that exits from a SIGCHLD handler (init/init_system.hpp). A
// workload that waits for its own children (to read their exit status and rusage with wait4)
// holds a ChildReapingPause meanwhile: SIGCHLD goes back to its default action, so no other thread
// (the heartbeat, the pressure sampler) reaps them first, as it would if the workload's thread only
// blocked the signal. On destruction the previous action comes back and any child that exited in
// between (an orphan the kernel gave to init) is reaped.

#include <signal.h>

namespace numalab::guest {

class ChildReapingPause {
 public:
  ChildReapingPause();
  ~ChildReapingPause();
  ChildReapingPause(const ChildReapingPause&) = delete;
  ChildReapingPause& operator=(const ChildReapingPause&) = delete;

 private:
  struct sigaction saved_ {};
  bool restore_ = false;
};

}  // namespace numalab::guest
