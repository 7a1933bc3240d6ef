#pragma once
// What the cpuset-churn workload leaves on the console when its churn stops making progress, for
// the person reading the run's console.log: where the churn thread and the memory hog are in the
// kernel (their state, the CPU they last ran on, their CPU time and /proc/.../stack, read twice a
// second apart so that a task spinning in the kernel shows a growing system time), where each CPU
// spent that second (/proc/stat's cpu lines, twice), then the kernel's own dumps: sysrq-l (a backtrace of
// every active CPU) and sysrq-w (the blocked tasks).

#include <sys/types.h>

#include <filesystem>

namespace numalab::guest {

// Writes the evidence to the kernel log (and so to the console). `hog` may be 0 (no hog running).
void dump_churn_stall_evidence(const std::filesystem::path& root, pid_t churn_tid, pid_t hog);

}  // namespace numalab::guest
