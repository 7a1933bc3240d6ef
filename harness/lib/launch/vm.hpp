#pragma once
// One running QEMU: the process, its QMP connection, and the console and agent streams. Start()
// listens on the three sockets in the run folder, starts QEMU from an argv vector and accepts its
// connections; shutdown() stops it in steps: QMP quit, SIGTERM, SIGKILL.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "launch/qemu_argv.hpp"
#include "launch/qmp_client.hpp"
#include "util/child_process.hpp"
#include "util/deadline.hpp"
#include "util/unique_fd.hpp"

namespace numalab::launch {

class Vm {
 public:
  // sockets_dir must be private (0700) and short enough for socket paths.
  static util::Result<std::unique_ptr<Vm>> start(VmSpec spec, const std::filesystem::path& sockets_dir,
                                                 const std::filesystem::path& qemu_log,
                                                 util::Deadline deadline);
  ~Vm();

  const std::vector<std::string>& argv() const { return argv_; }
  int console_fd() const { return console_.get(); }
  int agent_fd() const { return agent_.get(); }
  QmpClient& qmp() { return *qmp_; }
  int qmp_fd() const;
  util::ChildProcess& process() { return process_; }
  util::TimePoint started_at() const { return started_at_; }
  const std::string& qemu_version() const { return qemu_version_; }

  // Polite, then firm: QMP quit and wait; SIGTERM and wait; SIGKILL. Each with its own deadline.
  util::ExitStatus shutdown(std::chrono::milliseconds quit_grace = std::chrono::seconds(3));

 private:
  explicit Vm(util::ChildProcess p) : process_(std::move(p)) {}
  util::ChildProcess process_;
  std::vector<std::string> argv_;
  util::UniqueFd console_;
  util::UniqueFd agent_;
  std::unique_ptr<QmpClient> qmp_;
  SocketQmpTransport* qmp_transport_ = nullptr;
  util::TimePoint started_at_;
  std::string qemu_version_;
};

// The last lines of QEMU's own log, for error messages when it refused to start.
std::string tail_of_file(const std::filesystem::path& file, std::size_t max_lines = 8);

}  // namespace numalab::launch
