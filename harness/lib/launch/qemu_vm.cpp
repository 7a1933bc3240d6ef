#include "launch/qemu_vm.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <deque>
#include <fstream>

#include "util/unix_socket.hpp"

namespace numalab::launch {

using util::ErrorKind;
using util::fail;

namespace {

// Waits until QEMU has connected to all three sockets, or exits, or the deadline passes.
util::Result<std::array<util::UniqueFd, 3>> accept_all(std::array<util::UniqueFd, 3>& listeners,
                                                       util::ChildProcess& qemu,
                                                       const std::filesystem::path& qemu_log,
                                                       util::Deadline deadline) {
  std::array<util::UniqueFd, 3> conns;
  for (;;) {
    bool all = true;
    std::vector<pollfd> fds;
    for (std::size_t i = 0; i < 3; ++i) {
      if (conns[i]) continue;
      all = false;
      fds.push_back({listeners[i].get(), POLLIN, 0});
    }
    if (all) return conns;
    if (!qemu.running())
      return fail(ErrorKind::cannot_run, "QEMU exited at start (" + qemu.exit_status()->to_string() + "):\n" +
                                             tail_of_file(qemu_log));
    if (deadline.expired())
      return fail(ErrorKind::cannot_run,
                  "QEMU did not connect its sockets in time:\n" + tail_of_file(qemu_log));
    ::poll(fds.data(), fds.size(), std::min(100, deadline.poll_timeout_ms()));
    for (std::size_t i = 0; i < 3; ++i) {
      if (conns[i]) continue;
      int fd = ::accept4(listeners[i].get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd >= 0) conns[i].reset(fd);
    }
  }
}

}  // namespace

std::string tail_of_file(const std::filesystem::path& file, std::size_t max_lines) {
  std::ifstream in(file);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.size() > 300) line = line.substr(0, 300) + "...";
    lines.push_back("  " + line);
    if (lines.size() > max_lines) lines.pop_front();
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out.empty() ? "  (QEMU printed nothing)\n" : out;
}

util::Result<std::unique_ptr<QemuVm>> QemuVm::start(VmSpec spec, const std::filesystem::path& sockets_dir,
                                                    const std::filesystem::path& qemu_log,
                                                    util::Deadline deadline) {
  spec.sockets = {sockets_dir / "qmp.sock", sockets_dir / "console.sock", sockets_dir / "agent.sock"};
  std::array<util::UniqueFd, 3> listeners;
  const std::array<std::filesystem::path, 3> paths = {spec.sockets.qmp, spec.sockets.console,
                                                      spec.sockets.agent};
  for (std::size_t i = 0; i < 3; ++i) {
    auto l = util::listen_unix(paths[i]);
    if (!l) return std::unexpected(l.error());
    listeners[i] = std::move(*l);
  }
  auto argv = build_qemu_argv(spec);
  util::ChildOptions opts;
  opts.stdout_path = qemu_log;
  opts.stderr_path = qemu_log;
  const auto started = util::SteadyClock::now();
  auto child = util::ChildProcess::spawn(argv, opts);
  if (!child) return std::unexpected(child.error());

  std::unique_ptr<QemuVm> vm(new QemuVm(std::move(*child), qemu_log));
  vm->argv_ = std::move(argv);
  vm->started_at_ = started;
  auto conns = accept_all(listeners, vm->process_, qemu_log, deadline);
  if (!conns) return std::unexpected(conns.error());
  auto transport = std::make_unique<SocketQmpTransport>(std::move((*conns)[0]));
  vm->qmp_transport_ = transport.get();
  vm->qmp_ = std::make_unique<QmpClient>(std::move(transport));
  vm->console_ = std::move((*conns)[1]);
  vm->agent_ = std::move((*conns)[2]);
  auto version = vm->qmp_->handshake(deadline);
  if (!version) {
    vm->process_.wait_until(util::Deadline::after(std::chrono::milliseconds(500)));
    return fail(ErrorKind::cannot_run,
                version.error().message + "; QEMU said:\n" + tail_of_file(qemu_log, 3));
  }
  vm->qemu_version_ = *version;
  return vm;
}

int QemuVm::qmp_fd() const { return qmp_transport_ ? qmp_transport_->fd() : -1; }

util::ExitStatus QemuVm::shutdown(std::chrono::milliseconds quit_grace) {
  if (process_.running() && qmp_) {
    // "quit" may get no reply (QEMU exits first); either way, wait for the process.
    (void)qmp_->execute("quit", nlohmann::json::object(), util::Deadline::after(quit_grace));
    process_.wait_until(util::Deadline::after(quit_grace));
  }
  return process_.stop();
}

QemuVm::~QemuVm() { shutdown(); }

std::optional<util::ExitStatus> QemuVm::exited() {
  if (process_.running()) return std::nullopt;
  return process_.exit_status();
}

std::string QemuVm::log_tail(std::size_t lines) const { return tail_of_file(log_, lines); }

util::Result<std::unique_ptr<Vm>> QemuLauncher::start(const VmSpec& spec, const VmPlace& place) {
  auto vm = QemuVm::start(spec, place.sockets_dir, place.dir / "qemu.log",
                          util::Deadline::after(std::chrono::seconds(30)));
  if (!vm) return std::unexpected(vm.error());
  std::ofstream(place.dir / "qemu-argv.json") << nlohmann::json((*vm)->argv()).dump(1) << "\n";
  return std::unique_ptr<Vm>(std::move(*vm));
}

}  // namespace numalab::launch
