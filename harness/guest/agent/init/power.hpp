#pragma once
// The end of the agent's life. As PID 1 it must never exit (the kernel would panic with "Attempted
// to kill init"): it powers the machine off, or idles.

#include <string_view>

namespace numalab::guest {

// True when this process is the guest's init.
bool is_init();

// sync, then reboot(RB_POWER_OFF). Only returns if the kernel refused; then it says why.
void try_power_off();

// Blocks forever without using CPU (children are still reaped by the SIGCHLD handler).
[[noreturn]] void idle_forever();

// Tells the console and the kernel log why the agent cannot go on, then, as PID 1, powers off
// (idling if that fails); otherwise exits with status 1.
[[noreturn]] void fatal(std::string_view why);

}  // namespace numalab::guest
