#pragma once
// One running guest, as the run stage sees it: three streams to poll (the serial console, the
// agent's port, QMP's events), QMP to talk to the machine, whether it is still running, and a way
// to stop it. QemuVm (qemu_vm.hpp) is QEMU started by numalab; tests use a fake with the same
// streams. A Launcher starts one from a VmSpec.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "launch/qemu_argv.hpp"
#include "launch/qmp_client.hpp"
#include "launch/startup_cache.hpp"
#include "util/child_process.hpp"
#include "util/deadline.hpp"
#include "util/error.hpp"

namespace numalab::launch {

class Vm {
 public:
  virtual ~Vm() = default;
  // Readable streams; -1 when there is none (any longer).
  virtual int console_fd() const = 0;
  virtual int agent_fd() const = 0;  // also written: the plan, release
  virtual int qmp_fd() const = 0;    // readable when QMP events wait
  virtual QmpClient& qmp() = 0;
  // How the machine's process ended, once it has (never blocks).
  virtual std::optional<util::ExitStatus> exited() = 0;
  virtual util::TimePoint started_at() const = 0;
  // For the user: "pid 4242".
  virtual std::string describe() const = 0;
  // The last lines of what the VM's program said about itself (qemu.log), for error messages.
  virtual std::string log_tail(std::size_t lines) const = 0;
  // Polite, then firm (QMP quit, SIGTERM, SIGKILL, each with a deadline). Idempotent; blocks for at
  // most a few seconds.
  virtual void stop() = 0;
};

// Where a VM's files go.
struct VmPlace {
  std::filesystem::path dir;          // the machine's run folder: qemu.log, qemu-argv.json
  std::filesystem::path sockets_dir;  // private (0700) and short enough for socket paths
};

class Launcher {
 public:
  virtual ~Launcher() = default;
  virtual util::Result<std::unique_ptr<Vm>> start(const VmSpec& spec, const VmPlace& place) = 0;
  // The guest of a startup cache entry brought back (startup_cache.hpp): `spec` as the entry was
  // booted, started on the entry's RAM (copy-on-write) and its saved state. The guest runs when this
  // returns and says no hello: it waits for its plan, as it did when it was saved.
  virtual util::Result<std::unique_ptr<Vm>> restore(const VmSpec& spec, const VmPlace& place,
                                                    const StartupEntry& entry) = 0;
};

// Starts QEMU (QemuVm) and records its argv in qemu-argv.json.
class QemuLauncher final : public Launcher {
 public:
  util::Result<std::unique_ptr<Vm>> start(const VmSpec& spec, const VmPlace& place) override;
  // QEMU with -incoming defer, then restore_vm_state (vm_snapshot.hpp).
  util::Result<std::unique_ptr<Vm>> restore(const VmSpec& spec, const VmPlace& place,
                                            const StartupEntry& entry) override;
};

}  // namespace numalab::launch
