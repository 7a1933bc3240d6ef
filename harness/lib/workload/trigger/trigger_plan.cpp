#include "workload/trigger/trigger_plan.hpp"

#include <array>

#include "workload/common/params.hpp"
#include "workload/trigger/trigger_spec.hpp"

namespace numalab::workload {

namespace {

struct ActionSpec {
  std::string_view action;
  std::string_view kernel_action;  // deadlock's depends on how
  TriggerEffect effect;
  unsigned default_seconds;  // numalab_trigger's default; 0: the action takes no duration
};

// The kernel's defaults are those of lib/numalab_trigger.c in patches/test-deadlock-trigger.
constexpr std::array<ActionSpec, 15> k_actions = {{
    {"panic", "", TriggerEffect::sysrq_panic, 0},
    {"hang", "", TriggerEffect::silence, 0},
    {"deadlock", "deadlock-self", TriggerEffect::stuck, 0},
    {"oops", "oops", TriggerEffect::killed, 0},
    {"bug", "bug", TriggerEffect::killed, 0},
    {"gpf", "gpf", TriggerEffect::killed, 0},
    {"soft-lockup", "soft-lockup", TriggerEffect::returns, 30},
    {"hard-lockup", "hard-lockup", TriggerEffect::returns, 30},
    {"hung-task", "hung-task", TriggerEffect::returns, 30},
    {"sleep-in-atomic", "sleep-in-atomic", TriggerEffect::returns, 0},
    {"bad-unlock", "bad-unlock", TriggerEffect::returns, 0},
    {"held-lock-freed", "held-lock-freed", TriggerEffect::returns, 0},
    {"inconsistent", "inconsistent", TriggerEffect::returns, 0},
    {"irq-inversion", "irq-inversion", TriggerEffect::returns, 0},
    {"wq-lockup", "wq-lockup", TriggerEffect::background, 40},
}};

std::string action_names() {
  std::string out;
  for (const auto& a : k_actions) out += (out.empty() ? "\"" : ", \"") + std::string(a.action) + "\"";
  return out;
}

std::expected<void, std::string> read_how(const nlohmann::json& params, TriggerPlan& plan) {
  auto how = string_param(params, trigger_spec().params, "how");
  if (!how) return std::unexpected(how.error());
  if (!*how) return {};
  if (plan.action != "deadlock") return std::unexpected("params.how applies to action = \"deadlock\" only");
  if (**how != "self") plan.kernel_action = "deadlock-" + **how;  // the spec allows self, abba, rwsem
  return {};
}

std::expected<void, std::string> read_duration(const nlohmann::json& params, TriggerPlan& plan) {
  auto duration = duration_param(params, trigger_spec().params, "duration");
  if (!duration) return std::unexpected(duration.error());
  if (!*duration) return {};
  if (plan.default_seconds == 0)
    return std::unexpected(
        "params.duration applies to the actions that spin or sleep (soft-lockup, hard-lockup, "
        "hung-task, wq-lockup), not to \"" +
        plan.action + "\"");
  const auto ms = (*duration)->count();  // from 1s to k_max_trigger_seconds: the spec's range
  plan.seconds = static_cast<unsigned>((ms + 999) / 1000);
  return {};
}

std::expected<void, std::string> read_wait(const nlohmann::json& params, TriggerPlan& plan) {
  auto wait = duration_param(params, trigger_spec().params, "wait");
  if (!wait) return std::unexpected(wait.error());
  if (!*wait) return {};
  plan.wait = std::chrono::duration_cast<std::chrono::seconds>(**wait);
  return {};
}

}  // namespace

std::string TriggerPlan::command() const {
  return seconds ? kernel_action + " " + std::to_string(*seconds) : kernel_action;
}

std::expected<TriggerPlan, std::string> trigger_plan(const nlohmann::json& params) {
  auto action = string_param(params, "action");
  if (!action) return std::unexpected(action.error());
  const ActionSpec* spec = nullptr;
  for (const auto& a : k_actions)
    if (*action && a.action == **action) spec = &a;
  if (!spec) return std::unexpected("params.action must be one of " + action_names());
  TriggerPlan plan{std::string(spec->action),
                   std::string(spec->kernel_action),
                   spec->effect,
                   std::nullopt,
                   spec->default_seconds,
                   k_default_trigger_wait};
  for (auto read : {read_how, read_duration, read_wait})
    if (auto ok = read(params, plan); !ok) return std::unexpected(ok.error());
  return plan;
}

std::vector<std::string> trigger_action_names() {
  std::vector<std::string> out;
  for (const auto& a : k_actions) out.emplace_back(a.action);
  return out;
}

std::vector<std::string> trigger_actions(std::string_view listing) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < listing.size() && out.size() < 256) {
    const auto start = listing.find_first_not_of(" \t\r\n", i);
    if (start == std::string_view::npos) break;
    const auto end = std::min(listing.find_first_of(" \t\r\n", start), listing.size());
    out.emplace_back(listing.substr(start, end - start));
    i = end;
  }
  return out;
}

}  // namespace numalab::workload
