// Sysrq through the guest's PS/2 keyboard (QMP send-key: alt + sysrq + the key) and an NMI (QMP
// inject-nmi). What the guest kernel prints in answer lands in console.log after a marker line.

#include <fmt/format.h>

#include "capture/capture_steps.hpp"

namespace numalab::capture {

namespace {

std::string at(double s) { return fmt::format("+{:.1f} s", s); }

std::string printed(std::uintmax_t bytes) {
  return fmt::format("the console printed {:.1f} KiB after it", static_cast<double>(bytes) / 1024);
}

nlohmann::json qcode(std::string_view key) { return {{"type", "qcode"}, {"data", key}}; }

}  // namespace

StepResult send_sysrq(StepContext& c, char key, const ConsoleSettle& settle) {
  const std::string name = std::string("sysrq-") + key;
  const nlohmann::json args{
      {"keys", nlohmann::json::array({qcode("alt"), qcode("sysrq"), qcode(std::string(1, key))})}};
  const double sent_at = c.since_start();
  auto r = c.qmp.execute("send-key", args, util::Deadline::after(c.options.qmp_step));
  if (!r) {
    c.io.mark("[numalab: " + name + " could not be sent at " + at(sent_at) + ": " + r.error().message + "]");
    return StepResult::failed(r.error().message);
  }
  c.io.mark("[numalab: " + name + " sent at " + at(sent_at) + "]");
  return StepResult::ok(printed(settle_console(c.io, settle)));
}

StepResult inject_nmi(StepContext& c) {
  const double sent_at = c.since_start();
  auto r = c.qmp.execute("inject-nmi", nlohmann::json::object(), util::Deadline::after(c.options.qmp_step));
  if (!r) {
    c.io.mark("[numalab: NMI could not be injected at " + at(sent_at) + ": " + r.error().message + "]");
    return StepResult::failed(r.error().message);
  }
  c.io.mark("[numalab: NMI injected at " + at(sent_at) + "]");
  return StepResult::ok(printed(settle_console(c.io, c.options.after_nmi)));
}

}  // namespace numalab::capture
