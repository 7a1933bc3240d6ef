#pragma once
// A booted guest saved to a file and brought back, as QMP sequences: the startup cache's mechanics
// (issue 17; the 2010 checkpoint-restart thread's "application startup cache"). The guest's RAM is
// in files (RamFiles) that QEMU maps itself, so with the x-ignore-shared capability the migration
// stream holds only the device state: a save takes milliseconds and so does a restore, which maps
// the saved RAM files copy-on-write instead of reading them.
//
// The stream goes through a file descriptor handed over with getfd ("fd:NAME"); `exec:` would need a
// shell, which numalab's -sandbox forbids. QEMU reports the migration's progress as MIGRATION
// events (the "events" capability), which these functions wait for with the caller's deadline.

#include <filesystem>
#include <string>
#include <vector>

#include "launch/qmp_client.hpp"
#include "util/deadline.hpp"
#include "util/error.hpp"

namespace numalab::launch {

// One QMP step of a save or restore and how long it took.
struct TimedStep {
  std::string name;  // "getfd", "migrate", "wait-completed", ...
  util::Seconds took{0};
};

// The fd name both sequences give getfd.
inline constexpr std::string_view k_state_fd_name = "numalab-state";

// Writes the guest's device state to `state_file` (created or truncated, mode 0600): capabilities
// x-ignore-shared and events on, getfd, migrate fd:NAME, then waits for the MIGRATION event
// "completed". QEMU must map the guest's RAM from files with share=on. Afterwards the guest is
// paused (postmigrate): stop QEMU. A failed migration is an error with QEMU's own error-desc; so is
// the deadline, after the migration is cancelled.
util::Result<std::vector<TimedStep>> save_vm_state(QmpClient& qmp, const std::filesystem::path& state_file,
                                                   util::Deadline deadline);

// Brings the state back into a QEMU started with VmSpec::incoming (-incoming defer) and the saved
// RAM files mapped copy-on-write: capabilities on, getfd, migrate-incoming fd:NAME, waits for
// "completed", then cont. The guest runs when this returns. QEMU 7.2 exits when it cannot load a
// stream, so that error says to read QEMU's log.
util::Result<std::vector<TimedStep>> restore_vm_state(QmpClient& qmp, const std::filesystem::path& state_file,
                                                      util::Deadline deadline);

}  // namespace numalab::launch
