#pragma once
// The trigger workload's kernel actions: writes the plan's command to numalab_trigger (the debugfs
// file of patches/test-deadlock-trigger) from a forked child named "numalab-trigger", so the task
// the kernel blocks or kills is that child and never the agent, which keeps heartbeating.
//
// The agent does not decide hang or crash: the host does, from the kernel's report on the console.
// After a deadlock (effect stuck) or an Oops (effect killed) the agent keeps the machine up for the
// plan's wait, so the hung-task detector or lockdep has time to print; a machine still running
// after that ends the workload with "fail" (nothing stopped it). Actions the kernel survives end with
// "pass" once the write returned and the console had a moment to reach the host.

#include "common/workload.hpp"
#include "workload/trigger/trigger_plan.hpp"

namespace numalab::guest {

WorkloadOutcome pull_kernel_trigger(WorkloadContext& ctx, const workload::TriggerPlan& plan);

}  // namespace numalab::guest
