#include "workloads/nfs_server/nfs_server.hpp"

#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include "common/proc_file.hpp"
#include "image/nfs_userland_paths.hpp"

namespace numalab::guest {

namespace {

namespace paths = image::nfs_userland;
using Clock = std::chrono::steady_clock;

constexpr const char* k_nfsd_fs = "/proc/fs/nfsd";
constexpr auto k_program_timeout = std::chrono::seconds(20);
constexpr auto k_daemon_ready = std::chrono::seconds(20);
constexpr auto k_probe_interval = std::chrono::milliseconds(100);

std::expected<void, std::string> write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::trunc);
  if (!f) return std::unexpected("open " + p.string() + ": " + std::strerror(errno));
  f << text;
  f.flush();
  if (!f) return std::unexpected("write '" + text + "' to " + p.string() + ": " + std::strerror(errno));
  return {};
}

std::expected<void, std::string> make_dir(const std::filesystem::path& p, mode_t mode) {
  std::error_code ec;
  std::filesystem::create_directories(p, ec);
  if (ec) return std::unexpected("mkdir " + p.string() + ": " + ec.message());
  ::chmod(p.c_str(), mode);
  return {};
}

std::expected<void, std::string> mount_once(const char* source, const std::filesystem::path& target,
                                            const char* type, const std::string& options) {
  if (::mount(source, target.c_str(), type, 0, options.empty() ? nullptr : options.c_str()) == 0 ||
      errno == EBUSY)
    return {};
  return std::unexpected(std::string("mount -t ") + type + " " + target.string() +
                         (options.empty() ? "" : " -o " + options) + ": " + std::strerror(errno));
}

// Polls `rpcinfo -t 127.0.0.1 PROGRAM VERSION` until it answers, the daemon behind it ends, or the
// deadline passes.
std::expected<void, std::string> wait_answering(const std::string& program, const std::string& version,
                                                const std::string& what, Daemon* daemon,
                                                const std::filesystem::path& log) {
  const auto deadline = Clock::now() + k_daemon_ready;
  for (;;) {
    auto r =
        run_program({paths::k_rpcinfo, "-t", "127.0.0.1", program, version}, log, std::chrono::seconds(5));
    if (r) return {};
    if (daemon) {
      if (auto gone = daemon->gone(); !gone.empty()) return std::unexpected(gone);
    }
    if (Clock::now() >= deadline)
      return std::unexpected(what + " did not answer over TCP within " +
                             std::to_string(k_daemon_ready.count()) + " s: " + r.error());
    std::this_thread::sleep_for(k_probe_interval);
  }
}

}  // namespace

std::string exports_line(const std::filesystem::path& export_dir) {
  return export_dir.string() + " *(rw,no_root_squash,insecure,no_subtree_check,sync,fsid=1)\n";
}

std::expected<void, std::string> NfsServer::start() {
  using Step = std::expected<void, std::string> (NfsServer::*)();
  const std::pair<const char*, Step> steps[] = {{"mounts", &NfsServer::mount_file_systems},
                                                {"rpcbind", &NfsServer::start_rpcbind},
                                                {"exportfs+mountd", &NfsServer::export_and_start_mountd},
                                                {"nfsd", &NfsServer::start_nfsd}};
  for (const auto& [name, step] : steps) {
    const auto began = Clock::now();
    auto r = (this->*step)();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - began).count();
    timings_ += (timings_.empty() ? "" : ", ") + std::string(name) + " " + std::to_string(ms) + " ms";
    if (!r) return r;
  }
  return {};
}

std::expected<void, std::string> NfsServer::mount_file_systems() {
  for (const auto& [dir, mode] : {std::pair{logs_, 0755},
                                  {std::filesystem::path(paths::k_state_dir), 0755},
                                  {std::filesystem::path(paths::k_v4_recovery_dir), 0700},
                                  {std::filesystem::path(paths::k_rpcbind_state_dir), 0755},
                                  {config_.export_dir, 0777}})
    if (auto r = make_dir(dir, static_cast<mode_t>(mode)); !r) return r;
  if (auto r = mount_once("export", config_.export_dir, "tmpfs",
                          "size=" + std::to_string(config_.size_bytes) + ",mode=0777");
      !r)
    return r;
  if (auto r = mount_once("nfsd", k_nfsd_fs, "nfsd", ""); !r) return r;
  // Before any nfsd thread runs: afterwards the kernel refuses them (EBUSY).
  const std::string seconds = std::to_string(config_.grace_s);
  if (auto r = write_text(std::string(k_nfsd_fs) + "/nfsv4leasetime", seconds); !r) return r;
  return write_text(std::string(k_nfsd_fs) + "/nfsv4gracetime", seconds);
}

std::expected<void, std::string> NfsServer::start_rpcbind() {
  // -f: in the foreground, so it stays the agent's child; it drops to the _rpc user itself.
  auto d = Daemon::start({paths::k_rpcbind, "-f"}, logs_ / "rpcbind.log");
  if (!d) return std::unexpected(d.error());
  rpcbind_.emplace(std::move(*d));
  return wait_answering("100000", "4", "rpcbind", &*rpcbind_, logs_ / "rpcinfo.log");
}

std::expected<void, std::string> NfsServer::export_and_start_mountd() {
  if (auto r = write_text(paths::k_exports, exports_line(config_.export_dir)); !r) return r;
  if (auto r = run_program({paths::k_exportfs, "-r"}, logs_ / "exportfs.log", k_program_timeout); !r)
    return r;
  auto d = Daemon::start({paths::k_rpc_mountd, "-F"}, logs_ / "rpc.mountd.log");
  if (!d) return std::unexpected(d.error());
  mountd_.emplace(std::move(*d));
  return wait_answering("100005", "3", "rpc.mountd", &*mountd_, logs_ / "rpcinfo.log");
}

std::expected<void, std::string> NfsServer::start_nfsd() {
  nfsd_started_ = true;  // from here on, stop() writes 0 threads whatever happens
  if (auto r = run_program({paths::k_rpc_nfsd, std::to_string(config_.threads)}, logs_ / "rpc.nfsd.log",
                           k_program_timeout);
      !r)
    return r;
  auto threads = read_proc_file(std::string(k_nfsd_fs) + "/threads", 64);
  if (!threads || std::atoi(threads->c_str()) != config_.threads)
    return std::unexpected("rpc.nfsd " + std::to_string(config_.threads) + " exited 0 but " + k_nfsd_fs +
                           "/threads reads " + (threads ? "'" + *threads + "'" : threads.error()));
  return wait_answering("100003", "3", "nfsd", nullptr, logs_ / "rpcinfo.log");
}

std::string NfsServer::daemons_gone() {
  if (rpcbind_)
    if (auto g = rpcbind_->gone(); !g.empty()) return g;
  if (mountd_)
    if (auto g = mountd_->gone(); !g.empty()) return g;
  return "";
}

void NfsServer::stop() {
  if (nfsd_started_) (void)write_text(std::string(k_nfsd_fs) + "/threads", "0");
  nfsd_started_ = false;
  if (mountd_) {
    (void)run_program({paths::k_exportfs, "-ua"}, logs_ / "exportfs.log", std::chrono::seconds(5));
    mountd_.reset();
  }
  rpcbind_.reset();
}

}  // namespace numalab::guest
