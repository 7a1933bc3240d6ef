#include "launch/qemu_vm.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>

#include "launch/vm_snapshot.hpp"
#include "util/file_contents.hpp"
#include "util/file_tail.hpp"
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
                                             qemu_log_tail(qemu_log));
    if (deadline.expired())
      return fail(ErrorKind::cannot_run,
                  "QEMU did not connect its sockets in time:\n" + qemu_log_tail(qemu_log));
    ::poll(fds.data(), fds.size(), std::min(100, deadline.poll_timeout_ms()));
    for (std::size_t i = 0; i < 3; ++i) {
      if (conns[i]) continue;
      int fd = ::accept4(listeners[i].get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd >= 0) conns[i].reset(fd);
    }
  }
}

}  // namespace

std::string qemu_log_tail(const std::filesystem::path& qemu_log, std::size_t max_lines) {
  return util::tail_of_file(qemu_log, max_lines, "(QEMU printed nothing)");
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
                version.error().message + "; QEMU said:\n" + qemu_log_tail(qemu_log, 3));
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

std::string QemuVm::log_tail(std::size_t lines) const { return qemu_log_tail(log_, lines); }

util::Result<std::unique_ptr<Vm>> QemuLauncher::start(const VmSpec& spec, const VmPlace& place) {
  auto vm = QemuVm::start(spec, place.sockets_dir, place.dir / "qemu.log",
                          util::Deadline::after(std::chrono::seconds(30)));
  if (!vm) return std::unexpected(vm.error());
  // The argv is what a reviewer re-runs by hand: a write that fails (a full disk) fails the start.
  if (auto w = util::write_file(place.dir / "qemu-argv.json", nlohmann::json((*vm)->argv()).dump(1) + "\n");
      !w) {
    (*vm)->stop();
    return std::unexpected(w.error());
  }
  return std::unique_ptr<Vm>(std::move(*vm));
}

util::Result<std::unique_ptr<Vm>> QemuLauncher::restore(const VmSpec& spec, const VmPlace& place,
                                                        const StartupEntry& entry) {
  VmSpec from_entry = spec;
  from_entry.ram_files = entry.ram_files();
  from_entry.incoming = true;
  auto vm = start(from_entry, place);
  if (!vm) return vm;
  auto steps =
      restore_vm_state((*vm)->qmp(), entry.state_file(), util::Deadline::after(std::chrono::seconds(60)));
  if (!steps) {
    const std::string log = (*vm)->log_tail(4);
    (*vm)->stop();
    return fail(steps.error().kind, steps.error().message + "; QEMU said:\n" + log);
  }
  return vm;
}

}  // namespace numalab::launch
