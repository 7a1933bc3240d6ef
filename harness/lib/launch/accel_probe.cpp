#include "launch/accel_probe.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "launch/qemu_vm.hpp"
#include "util/child_process.hpp"
#include "util/file_contents.hpp"
#include "util/sha256.hpp"

namespace numalab::launch {

namespace {

std::string host_identity(const std::string& qemu_binary) {
  utsname u{};
  ::uname(&u);
  return std::string(u.nodename) + " " + u.release + " " + u.machine + " / " +
         qemu_version_line(qemu_binary).value_or("unknown");
}

// Boots the kernel under KVM and waits for its first console output.
AccelChoice probe(const ProbeInputs& in) {
  VmSpec spec;
  spec.qemu_binary = in.qemu_binary;
  spec.name = "kvm-probe";
  spec.nodes = {lab::NumaNode{0, {0}, 256ull << 20, {}}};
  spec.distances = {{10}};
  spec.kernel = in.kernel;
  spec.initrd = in.initrd;
  spec.kernel_cmdline = build_kernel_cmdline({});
  spec.accel = Accel::kvm;
  spec.sandbox = in.sandbox;
  std::filesystem::create_directories(in.work_dir);
  const auto t0 = util::SteadyClock::now();
  const auto deadline = util::Deadline::after(in.timeout);
  auto vm = QemuVm::start(spec, in.work_dir, in.work_dir / "kvm-probe-qemu.log", deadline);
  if (!vm) {
    // QEMU's own first complaint says it best ("failed to set MSR 0x10a to 0x69").
    std::istringstream log(util::read_file(in.work_dir / "kvm-probe-qemu.log").value_or(""));
    std::string why;
    while (why.empty() && std::getline(log, why)) {
    }
    if (why.empty()) why = vm.error().message.substr(0, vm.error().message.find('\n'));
    if (why.size() > 160) why = why.substr(0, 160) + "...";
    return {Accel::tcg, "KVM probe: QEMU failed under KVM: " + why + "; using TCG"};
  }
  char buf[256];
  while (!deadline.expired()) {
    pollfd p{(*vm)->console_fd(), POLLIN, 0};
    if (::poll(&p, 1, deadline.poll_timeout_ms()) <= 0) continue;
    if (::read((*vm)->console_fd(), buf, sizeof buf) > 0) {
      const double s = std::chrono::duration<double>(util::SteadyClock::now() - t0).count();
      return {Accel::kvm, fmt::format("KVM probe boot printed to the console after {:.1f} s", s)};
    }
  }
  return {Accel::tcg, "KVM probe boot printed nothing in " + std::to_string(in.timeout.count()) +
                          " s; using TCG (software emulation, slower)"};
}

}  // namespace

bool qemu_supports_sandbox(const std::string& qemu_binary) {
  auto help = util::capture_output({qemu_binary, "-help"}, util::Deadline::after(std::chrono::seconds(10)));
  return help && help->find("\n-sandbox ") != std::string::npos;
}

util::Result<std::string> qemu_version_line(const std::string& qemu_binary) {
  auto text =
      util::capture_output({qemu_binary, "--version"}, util::Deadline::after(std::chrono::seconds(10)));
  if (!text) return std::unexpected(text.error());
  auto line = text->substr(0, text->find('\n'));
  if (line.empty())
    return util::fail(util::ErrorKind::cannot_run, qemu_binary + " --version printed nothing");
  return line;
}

AccelChoice choose_accel(const ProbeInputs& in) {
  // One record per host and QEMU version: whether this QEMU has -sandbox, and the KVM probe's
  // answer. Both cost a QEMU start (the probe up to its timeout), so neither is asked twice.
  const std::string host = host_identity(in.qemu_binary);
  const auto cache_file =
      in.cache_dir / "probe" / ("accel-" + util::sha256_hex(host).substr(0, 16) + ".json");
  nlohmann::json record = nlohmann::json::object();
  if (auto text = util::read_file(cache_file)) {
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_object() && j.value("host", "") == host) record = j;
  }
  const bool known = record.contains("sandbox") && record["sandbox"].is_boolean();
  const bool sandbox = known ? record["sandbox"].get<bool>() : qemu_supports_sandbox(in.qemu_binary);

  AccelChoice choice;
  bool probed = false;
  if (const char* forced = std::getenv("NUMALAB_ACCEL"); forced && *forced) {
    choice = std::string(forced) == "kvm" ? AccelChoice{Accel::kvm, "NUMALAB_ACCEL=kvm"}
                                          : AccelChoice{Accel::tcg, "NUMALAB_ACCEL=" + std::string(forced)};
  } else if (::access("/dev/kvm", R_OK | W_OK) != 0) {
    choice = {Accel::tcg, "/dev/kvm is not usable; using TCG"};
  } else if (record.contains("accel")) {
    choice = {record.value("accel", "tcg") == "kvm" ? Accel::kvm : Accel::tcg,
              record.value("reason", "") + " (cached; rm " + cache_file.string() + " to probe again)"};
  } else {
    ProbeInputs with_sandbox = in;
    with_sandbox.sandbox = sandbox;
    choice = probe(with_sandbox);
    probed = true;
  }
  choice.sandbox = sandbox;
  if (probed || !known) {
    record["host"] = host;
    record["sandbox"] = sandbox;
    if (probed) {
      record["accel"] = std::string(to_string(choice.accel));
      record["reason"] = choice.reason;
    }
    std::error_code ec;
    std::filesystem::create_directories(cache_file.parent_path(), ec);
    // Not stored, the answer still holds for this run; the user hears why the next run probes again.
    if (auto w = util::write_file(cache_file, record.dump(2) + "\n"); !w)
      choice.reason += "; not cached: " + w.error().message;
  }
  return choice;
}

}  // namespace numalab::launch
