#pragma once
// What the trigger workload asks of the guest kernel, as data. "panic" and "hang" need nothing of
// the kernel; every other action is written to the debugfs file that patches/test-deadlock-trigger
// adds (/sys/kernel/debug/numalab_trigger: "ACTION [SECONDS]"), and its effect says what the agent
// waits for afterwards.

#include <chrono>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/stall_window.hpp"

namespace numalab::workload {

inline constexpr std::string_view k_trigger_file = "sys/kernel/debug/numalab_trigger";

// After a deadlock or an Oops, how long the agent keeps the machine up for the host's verdict by
// default: the host's stall window, then 30 s for the blocked task's reports to reach it and the
// verdict to stop the machine, so that a deadlock is called a hang and never times out into "fail".
inline constexpr std::chrono::seconds k_default_trigger_wait =
    model::k_default_stall_window + std::chrono::seconds(30);

enum class TriggerEffect {
  sysrq_panic,  // "panic": sysrq-c
  silence,      // "hang": the agent stops all output, heartbeats included
  stuck,        // tasks stay blocked for good (the writer, or kernel threads it starts): a hang
  killed,       // the writer dies in an Oops: a crash
  returns,      // the write returns, after `seconds` for the spinning and sleeping actions
  background,   // the write returns at once; a kernel thread misbehaves for `seconds` more
};

struct TriggerPlan {
  std::string action;         // the lab file's action
  std::string kernel_action;  // what numalab_trigger calls it ("deadlock-abba"); "" for panic, hang
  TriggerEffect effect = TriggerEffect::returns;
  std::optional<unsigned> seconds;  // the lab's duration, whole seconds; absent: the kernel's default
  unsigned default_seconds = 0;     // the kernel's default for actions that take a duration
  std::chrono::seconds wait = k_default_trigger_wait;  // after stuck or killed: for the host to stop it

  // What is written to numalab_trigger: "deadlock-self", "soft-lockup 15".
  std::string command() const;
  // How long the misbehaviour lasts in the kernel: seconds, else default_seconds.
  unsigned duration_s() const { return seconds.value_or(default_seconds); }
};

inline constexpr unsigned k_max_trigger_seconds = 600;  // numalab_trigger refuses more

// The lab's action, how (deadlock only: "self", "abba" or "rwsem"), duration (the actions that spin or
// sleep) and wait. An unknown action or a parameter the action does not take is an error.
std::expected<TriggerPlan, std::string> trigger_plan(const nlohmann::json& params);

// The lab file's actions, in the order of the plan's table ("panic", "hang", "deadlock", ...).
std::vector<std::string> trigger_action_names();

// The actions a numalab_trigger file lists when read: names separated by blanks.
std::vector<std::string> trigger_actions(std::string_view listing);

}  // namespace numalab::workload
