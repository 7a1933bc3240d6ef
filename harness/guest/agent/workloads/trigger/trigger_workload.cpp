// trigger: makes the guest misbehave on purpose, so the host's hang and crash verdicts can be
// tested. "panic" panics the kernel with sysrq-c; "hang" stops all output, heartbeats included;
// every other action (deadlock, oops, soft-lockup, ...) is the kernel's own, through the debugfs
// file of patches/test-deadlock-trigger (kernel_trigger.hpp).

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/workload.hpp"
#include "init/console.hpp"
#include "init/power.hpp"
#include "workloads/trigger/kernel_trigger.hpp"

namespace numalab::guest {

namespace {

// "" on success, else why not.
std::string write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  if (out) out << text << std::flush;
  if (!out) return path.string() + ": " + std::strerror(errno);
  return {};
}

WorkloadOutcome panic(WorkloadContext& ctx) {
  ctx.port.send(agent::Log{"trigger: panicking the kernel with sysrq-c"});
  say("trigger: panicking the kernel with sysrq-c");
  if (auto e = write_file(ctx.root / "proc/sys/kernel/sysrq", "1"); !e.empty())
    return {"error", "cannot enable sysrq: " + e, {}};
  ::sync();
  if (auto e = write_file(ctx.root / "proc/sysrq-trigger", "c"); !e.empty())
    return {"error", "cannot trigger sysrq-c: " + e, {}};
  return {"error", "sysrq-c was written but the kernel did not panic", {}};
}

[[noreturn]] void hang(WorkloadContext& ctx) {
  say("trigger: hanging; no more output, heartbeats included");
  ctx.heartbeat.stop();
  idle_forever();
}

}  // namespace

WorkloadOutcome run_trigger(WorkloadContext& ctx, const nlohmann::json& params) {
  auto plan = workload::trigger_plan(params);
  if (!plan) return {"error", plan.error(), {}};
  if (!ctx.allow_trigger)
    return {"error", "trigger refused: the agent is not the guest's init (pass --allow-trigger)", {}};
  if (plan->effect == workload::TriggerEffect::silence) hang(ctx);
  if (plan->effect == workload::TriggerEffect::sysrq_panic) return panic(ctx);
  return pull_kernel_trigger(ctx, *plan);
}

}  // namespace numalab::guest
