#include "launch/vm_snapshot.hpp"

#include <fcntl.h>

#include "util/unique_fd.hpp"

namespace numalab::launch {

using util::ErrorKind;
using util::fail;

namespace {

// Runs the steps of one sequence in order, timing each; the first failure ends it.
class StepClock {
 public:
  explicit StepClock(std::string what) : what_(std::move(what)) {}

  template <class F>
  util::Result<nlohmann::json> run(const std::string& name, F&& step) {
    const auto start = util::SteadyClock::now();
    util::Result<nlohmann::json> r = step();
    steps_.push_back({name, util::SteadyClock::now() - start});
    if (!r) return fail(r.error().kind, what_ + ": " + r.error().message);
    return r;
  }
  std::vector<TimedStep> take() { return std::move(steps_); }

 private:
  std::string what_;
  std::vector<TimedStep> steps_;
};

const nlohmann::json k_capabilities = {
    {"capabilities",
     {{{"capability", "x-ignore-shared"}, {"state", true}}, {{"capability", "events"}, {"state", true}}}}};

std::string fd_uri() { return "fd:" + std::string(k_state_fd_name); }

util::Result<util::UniqueFd> open_state(const std::filesystem::path& file, int flags) {
  util::UniqueFd fd(::open(file.c_str(), flags | O_CLOEXEC, 0600));
  if (!fd)
    return fail(ErrorKind::cannot_run, "cannot open " + file.string() + ": " + util::errno_text(errno));
  return fd;
}

// QEMU's own words on a migration that did not complete: its status and error-desc.
std::string migration_status(QmpClient& qmp) {
  auto info = qmp.execute("query-migrate", {}, util::Deadline::after(std::chrono::seconds(2)));
  if (!info) return "query-migrate: " + info.error().message;
  std::string text = "status " + info->value("status", std::string("unknown"));
  if (info->contains("error-desc")) text += ": " + (*info)["error-desc"].get<std::string>();
  return text;
}

// Waits for the MIGRATION event that ends the migration. Other events stay with the client.
util::Result<nlohmann::json> wait_completed(QmpClient& qmp, util::Deadline deadline) {
  for (;;) {
    auto ev = qmp.wait_for_event("MIGRATION", deadline);
    if (!ev) return fail(ev.error().kind, ev.error().message + " while migrating (QEMU's log may say why)");
    if (!*ev) return fail(ErrorKind::cannot_run, "not completed in time (" + migration_status(qmp) + ")");
    const std::string status = (*ev)->data.value("status", "");
    if (status == "completed") return (*ev)->data;
    if (status == "failed" || status == "cancelled")
      return fail(ErrorKind::cannot_run, "migration " + status + " (" + migration_status(qmp) + ")");
  }
}

// The first two steps of a save and of a restore, which must agree: the same capabilities on both
// sides (x-ignore-shared leaves the RAM files out of the stream), then the state file's descriptor
// handed to QEMU under k_state_fd_name.
util::Result<nlohmann::json> hand_over_state_fd(StepClock& steps, QmpClient& qmp, int fd,
                                                util::Deadline deadline) {
  auto ok = steps.run("migrate-set-capabilities",
                      [&] { return qmp.execute("migrate-set-capabilities", k_capabilities, deadline); });
  if (!ok) return ok;
  const nlohmann::json name{{"fdname", std::string(k_state_fd_name)}};
  return steps.run("getfd", [&] { return qmp.execute_with_fd("getfd", name, fd, deadline); });
}

}  // namespace

util::Result<std::vector<TimedStep>> save_vm_state(QmpClient& qmp, const std::filesystem::path& state_file,
                                                   util::Deadline deadline) {
  auto fd = open_state(state_file, O_WRONLY | O_CREAT | O_TRUNC);
  if (!fd) return std::unexpected(fd.error());
  StepClock steps("saving the guest to " + state_file.string());
  auto ok = hand_over_state_fd(steps, qmp, fd->get(), deadline);
  if (ok) ok = steps.run("migrate", [&] { return qmp.execute("migrate", {{"uri", fd_uri()}}, deadline); });
  if (ok) {
    ok = steps.run("wait-completed", [&] { return wait_completed(qmp, deadline); });
    // Not left writing a stream nobody will read.
    if (!ok) (void)qmp.execute("migrate_cancel", {}, util::Deadline::after(std::chrono::seconds(2)));
  }
  if (!ok) return std::unexpected(ok.error());
  return steps.take();
}

util::Result<std::vector<TimedStep>> restore_vm_state(QmpClient& qmp, const std::filesystem::path& state_file,
                                                      util::Deadline deadline) {
  auto fd = open_state(state_file, O_RDONLY);
  if (!fd) return std::unexpected(fd.error());
  StepClock steps("restoring the guest from " + state_file.string());
  auto ok = hand_over_state_fd(steps, qmp, fd->get(), deadline);
  if (ok)
    ok = steps.run("migrate-incoming", [&] {
      return qmp.execute("migrate-incoming", {{"uri", fd_uri()}}, deadline);
    });
  if (ok) ok = steps.run("wait-completed", [&] { return wait_completed(qmp, deadline); });
  if (ok) ok = steps.run("cont", [&] { return qmp.execute("cont", {}, deadline); });
  if (!ok) return std::unexpected(ok.error());
  return steps.take();
}

}  // namespace numalab::launch
