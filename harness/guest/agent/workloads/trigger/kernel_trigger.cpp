#include "workloads/trigger/kernel_trigger.hpp"

#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

#include "common/child_reaping_pause.hpp"
#include "common/forked_child.hpp"
#include "common/metric.hpp"
#include "common/proc_file.hpp"
#include "init/console.hpp"
#include "util/deadline.hpp"
#include "workload/common/proc_stat.hpp"

namespace numalab::guest {

namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;
using workload::TriggerEffect;
using workload::TriggerPlan;

constexpr char k_writer_name[] = "numalab-trigger";
// After a report, for the console to reach the host before the workload ends.
constexpr seconds k_settle{2};
// Beyond the misbehaviour's own duration, for a write to return under TCG on a busy host.
constexpr seconds k_write_margin{30};

void tell(WorkloadContext& ctx, const std::string& text) {
  ctx.port.send(agent::Log{"trigger: " + text});
  say("trigger: " + text);
}

// The kernel's numalab_trigger actions; debugfs is mounted when the file is not there yet.
std::expected<std::vector<std::string>, std::string> kernel_actions(const fs::path& root) {
  const fs::path file = root / workload::k_trigger_file;
  std::error_code ec;
  std::string mount_note;
  if (!fs::exists(file, ec)) {
    const fs::path dir = root / "sys/kernel/debug";
    ::mkdir(dir.c_str(), 0755);
    if (::mount("debugfs", dir.c_str(), "debugfs", 0, nullptr) != 0 && errno != EBUSY)
      mount_note = " (mount debugfs on " + dir.string() + ": " + std::strerror(errno) + ")";
  }
  if (!fs::exists(file, ec))
    return std::unexpected("this kernel has no numalab_trigger: build it with patches/test-deadlock-trigger" +
                           mount_note);
  auto listing = read_proc_file(file, 4096);
  if (!listing) return std::unexpected("cannot read numalab_trigger: " + listing.error());
  return workload::trigger_actions(*listing);
}

std::expected<ForkedChild, std::string> start_writer(const fs::path& file, const std::string& command) {
  return ForkedChild::start([&](int, int report_fd) {
    ::prctl(PR_SET_NAME, k_writer_name);
    int result = 0;
    const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ::write(fd, command.data(), command.size()) < 0) result = errno;
    [[maybe_unused]] auto n = ::write(report_fd, &result, sizeof result);
    ::_exit(0);
  });
}

// The writer's reply: the errno of its write (0: it returned), -1 when it died first, nullopt when
// it had not answered by the deadline.
std::optional<int> await_reply(ForkedChild& writer, util::Deadline deadline) {
  int error = 0;
  const ReportRead read = writer.read_report(&error, sizeof error, deadline);
  if (read.kind == ReportRead::whole) return error;
  if (read.kind == ReportRead::ended) return -1;
  return std::nullopt;  // timed out, or poll(2) failed
}

// "killed by signal 9" once the writer has exited; "" while it has not.
std::string writer_end(ForkedChild& writer, util::Deadline deadline) {
  const auto end = writer.wait(deadline);
  if (!end || !end->wait_status) return {};  // still running, or lost
  const int status = *end->wait_status;
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

// "numalab-trigger (PID 57) in state D, ...": the writer and the kernel threads it started, unless
// they have exited.
std::string blocked_tasks(const fs::path& root, pid_t writer) {
  std::string out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root / "proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    auto text = read_proc_file(entry.path() / "stat", workload::k_max_proc_stat_bytes);
    if (!text) continue;
    auto stat = workload::parse_proc_stat(*text);
    if (!stat || stat->state == 'Z' ||
        (stat->pid != writer && !stat->comm.starts_with("numalab-abba") &&
         !stat->comm.starts_with("numalab-rwsem")))
      continue;
    out += (out.empty() ? "" : ", ") + stat->comm + " (PID " + std::to_string(stat->pid) + ") in state " +
           stat->state;
  }
  return out.empty() ? "no numalab-trigger task found" : out;
}

// Keeps the machine up for the host to call the hang or crash; the fail if it does not.
WorkloadOutcome wait_for_host(WorkloadContext& ctx, const TriggerPlan& plan, const std::string& what,
                              const std::string& verdict_expected) {
  tell(ctx,
       what + "; waiting up to " + std::to_string(plan.wait.count()) + "s for the host to stop the machine");
  std::this_thread::sleep_until(util::Deadline::after(plan.wait).at());
  return {"fail",
          what + ", but the machine ran on for " + std::to_string(plan.wait.count()) + "s: no " +
              verdict_expected + " verdict stopped it",
          {}};
}

WorkloadOutcome refused(const TriggerPlan& plan, int error) {
  return {"error", "numalab_trigger refused \"" + plan.command() + "\": " + std::strerror(error), {}};
}

// The follow_* read the writer's reply and end; `pid` names it in reports (writer.pid() is -1
// once it is reaped).
WorkloadOutcome follow_stuck(WorkloadContext& ctx, const TriggerPlan& plan, ForkedChild& writer, pid_t pid) {
  const auto reply = await_reply(writer, util::Deadline::after(seconds(3)));
  if (reply && *reply > 0) return refused(plan, *reply);
  if (reply && *reply < 0)
    return {"fail",
            plan.command() + ": the writer died: " + writer_end(writer, util::Deadline::after(seconds(5))),
            {}};
  if (reply && plan.kernel_action == "deadlock-self")
    return {"fail", "numalab_trigger deadlock-self returned: the kernel did not deadlock", {}};
  std::this_thread::sleep_for(seconds(1));  // the abba or rwsem threads take their second locks
  return wait_for_host(ctx, plan, "the kernel deadlocked: " + blocked_tasks(ctx.root, pid), "hang");
}

WorkloadOutcome follow_killed(WorkloadContext& ctx, const TriggerPlan& plan, ForkedChild& writer, pid_t pid) {
  const auto reply = await_reply(writer, util::Deadline::after(k_write_margin));
  if (reply && *reply > 0) return refused(plan, *reply);
  if (reply && *reply == 0)
    return {"fail", "numalab_trigger " + plan.command() + " returned: the kernel did not oops", {}};
  if (!reply)
    return {"fail",
            plan.command() + ": the writer neither returned nor died within " +
                std::to_string(k_write_margin.count()) + "s (" + blocked_tasks(ctx.root, pid) + ")",
            {}};
  const std::string end = writer_end(writer, util::Deadline::after(seconds(5)));
  return wait_for_host(ctx, plan, "the kernel oopsed: the writer was " + (end.empty() ? "killed" : end),
                       "crash");
}

WorkloadOutcome follow_returning(WorkloadContext& ctx, const TriggerPlan& plan, ForkedChild& writer,
                                 pid_t pid) {
  const auto began = util::SteadyClock::now();
  const bool background = plan.effect == TriggerEffect::background;
  const seconds limit = background ? k_write_margin : seconds(plan.duration_s()) + k_write_margin;
  const auto reply = await_reply(writer, util::Deadline::after(limit));
  const double took = util::Seconds(util::SteadyClock::now() - began).count();
  if (reply && *reply > 0) return refused(plan, *reply);
  if (reply && *reply < 0)
    return {"fail",
            plan.command() + ": the writer died: " + writer_end(writer, util::Deadline::after(seconds(5))),
            {}};
  if (!reply)
    return {"fail",
            plan.command() + ": the write did not return within " + std::to_string(limit.count()) + "s (" +
                blocked_tasks(ctx.root, pid) + ")",
            {}};
  tell(ctx, "numalab_trigger " + plan.command() + " returned after " + std::to_string(took) + "s");
  // A work item keeps misbehaving after the write returned: the machine stays up until it is done.
  if (background) std::this_thread::sleep_for(seconds(plan.duration_s()));
  std::this_thread::sleep_for(k_settle);
  return {"pass", {}, {metric("write_s", took, "s", model::Better::none)}};
}

}  // namespace

WorkloadOutcome pull_kernel_trigger(WorkloadContext& ctx, const TriggerPlan& plan) {
  auto listed = kernel_actions(ctx.root);
  if (!listed) return {"error", listed.error(), {}};
  if (std::ranges::find(*listed, plan.kernel_action) == listed->end()) {
    std::string names;
    for (const auto& a : *listed) names += (names.empty() ? "" : " ") + a;
    return {"error",
            "this kernel's numalab_trigger has no \"" + plan.kernel_action + "\" (it has: " + names +
                "): rebuild it with the current patches/test-deadlock-trigger",
            {}};
  }
  ChildReapingPause pause;  // the writer's exit status is read here, not by the SIGCHLD handler
  auto writer = start_writer(ctx.root / workload::k_trigger_file, plan.command());
  if (!writer) return {"error", "cannot start the trigger's writer: " + writer.error(), {}};
  writer->close_control();
  const pid_t pid = writer->pid();
  tell(ctx, "writing \"" + plan.command() + "\" to /" + std::string(workload::k_trigger_file) + " from " +
                k_writer_name + " (PID " + std::to_string(pid) + ")");
  WorkloadOutcome out = plan.effect == TriggerEffect::stuck    ? follow_stuck(ctx, plan, *writer, pid)
                        : plan.effect == TriggerEffect::killed ? follow_killed(ctx, plan, *writer, pid)
                                                               : follow_returning(ctx, plan, *writer, pid);
  // Still running: killed. A writer blocked in D state cannot die: it is abandoned to the kernel
  // after a moment, and the machine is powered off next.
  writer->kill_and_reap(std::chrono::milliseconds(200));
  return out;
}

}  // namespace numalab::guest
