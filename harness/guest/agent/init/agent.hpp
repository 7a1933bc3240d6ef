#pragma once
// The agent's life: set up (as PID 1), find the port, say hello, run the host's plan, say done.

#include "init/options.hpp"

namespace numalab::guest {

// Not PID 1: returns the exit status. As PID 1 it never returns: it powers off or idles.
int run_agent(const Options& options);

// --dump-topology and --dump-hello: prints to stdout, returns the exit status.
int dump(const Options& options);

}  // namespace numalab::guest
