#include "workload/trigger/trigger_spec.hpp"

#include "model/duration.hpp"
#include "workload/trigger/trigger_plan.hpp"

namespace numalab::workload {

const WorkloadSpec& trigger_spec() {
  static const WorkloadSpec spec = {
      "trigger",
      "makes the guest kernel misbehave on purpose, to test numalab's hang and crash verdicts",
      {{"action", ParamType::string, trigger_action_names(),
        "panic: sysrq-c panics the kernel; hang: the agent stops all output, heartbeats included; the others "
        "need a kernel built with patches/test-deadlock-trigger, whose README says what each does",
        true},
       {"how",
        ParamType::string,
        {"self", "abba", "rwsem"},
        "deadlock: self, the writing task takes one mutex twice (default); abba, two kernel threads take two "
        "mutexes in opposite order; rwsem, the same with a rw-semaphore (one holds it for writing and wants "
        "the "
        "mutex the other holds while it waits to read)",
        false},
       {"duration",
        ParamType::duration,
        {},
        "soft-lockup, hard-lockup, hung-task, wq-lockup: how long the kernel spins or sleeps (default 30s; "
        "wq-lockup 40s)",
        false,
        1,
        k_max_trigger_seconds},
       {"wait",
        ParamType::duration,
        {},
        "deadlock, oops, bug, gpf: how long the agent keeps the machine up for the host to call the hang or "
        "crash; still running after it, the workload fails (default 90s, the host's stall window and 30s)",
        false,
        1,
        3600,
        model::format_duration(k_default_trigger_wait)}}};
  return spec;
}

}  // namespace numalab::workload
