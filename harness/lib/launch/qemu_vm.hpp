#pragma once
// One running QEMU: the process, its QMP connection, and the console and agent streams. Start()
// listens on the three sockets in the run folder, starts QEMU from an argv vector and accepts its
// connections; stop() stops it in steps: QMP quit, SIGTERM, SIGKILL.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "launch/qemu_argv.hpp"
#include "launch/qmp_client.hpp"
#include "launch/vm.hpp"
#include "util/child_process.hpp"
#include "util/deadline.hpp"
#include "util/unique_fd.hpp"

namespace numalab::launch {

class QemuVm final : public Vm {
 public:
  // sockets_dir must be private (0700) and short enough for socket paths.
  static util::Result<std::unique_ptr<QemuVm>> start(VmSpec spec, const std::filesystem::path& sockets_dir,
                                                     const std::filesystem::path& qemu_log,
                                                     util::Deadline deadline);
  ~QemuVm() override;

  const std::vector<std::string>& argv() const { return argv_; }
  int console_fd() const override { return console_.get(); }
  int agent_fd() const override { return agent_.get(); }
  int qmp_fd() const override;
  QmpClient& qmp() override { return *qmp_; }
  std::optional<util::ExitStatus> exited() override;
  util::TimePoint started_at() const override { return started_at_; }
  std::string describe() const override { return "pid " + std::to_string(process_.pid()); }
  std::string log_tail(std::size_t lines) const override;
  void stop() override { shutdown(); }
  const std::string& qemu_version() const { return qemu_version_; }

  // Polite, then firm: QMP quit and wait; SIGTERM and wait; SIGKILL. Each with its own deadline.
  util::ExitStatus shutdown(std::chrono::milliseconds quit_grace = std::chrono::seconds(3));

 private:
  QemuVm(util::ChildProcess p, std::filesystem::path log) : process_(std::move(p)), log_(std::move(log)) {}
  util::ChildProcess process_;
  std::filesystem::path log_;
  std::vector<std::string> argv_;
  util::UniqueFd console_;
  util::UniqueFd agent_;
  std::unique_ptr<QmpClient> qmp_;
  SocketQmpTransport* qmp_transport_ = nullptr;
  util::TimePoint started_at_;
  std::string qemu_version_;
};

// The last lines of QEMU's own log (util::tail_of_file), for error messages when it refused to
// start or exited early; "(QEMU printed nothing)" when it is empty.
std::string qemu_log_tail(const std::filesystem::path& qemu_log, std::size_t max_lines = 8);

}  // namespace numalab::launch
