#pragma once
// The kernel's NFS server (knfsd) brought up from the agent, step by step, with Debian's
// nfs-utils userland of the image (image/nfs_userland_paths.hpp): a tmpfs on the export, the nfsd
// file system, short NFSv4 grace and lease times, rpcbind, /etc/exports, exportfs -r,
// rpc.mountd, rpc.nfsd. Each step waits with a deadline; a failure names the step, the program,
// how it ended and the tail of its output. Stopped and its daemons reaped on destruction.

#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>

#include "common/guest_program.hpp"

namespace numalab::guest {

struct NfsServerConfig {
  std::filesystem::path export_dir = "/export";
  std::uint64_t size_bytes = 1ull << 30;  // the tmpfs on the export
  int threads = 8;                        // nfsd threads
  int grace_s = 10;                       // NFSv4 grace and lease times (the kernel's minimum)
};

// The /etc/exports line: rw, no_root_squash (the client's root writes its swap file), insecure,
// no_subtree_check, sync, fsid=1 (a tmpfs has no device number to name it). fsid=1, not 0: NFSv4
// then reaches the export through mountd's pseudo-root at the same path as NFSv3.
std::string exports_line(const std::filesystem::path& export_dir);

class NfsServer {
 public:
  explicit NfsServer(NfsServerConfig config) : config_(std::move(config)) {}
  ~NfsServer() { stop(); }
  NfsServer(const NfsServer&) = delete;
  NfsServer& operator=(const NfsServer&) = delete;

  // All the steps, in order; the first failure is returned and what started is left to stop().
  std::expected<void, std::string> start();
  // How long each step took: "mounts 3 ms, rpcbind 812 ms, ...".
  const std::string& timings() const { return timings_; }
  // Empty while rpcbind and rpc.mountd run; else which one ended and how.
  std::string daemons_gone();
  // nfsd threads to 0, the daemons stopped and reaped, the export unexported. Idempotent.
  void stop();

 private:
  std::expected<void, std::string> mount_file_systems();
  std::expected<void, std::string> start_rpcbind();
  std::expected<void, std::string> export_and_start_mountd();
  std::expected<void, std::string> start_nfsd();

  NfsServerConfig config_;
  std::filesystem::path logs_ = "/run/numalab-nfs";
  std::optional<Daemon> rpcbind_;
  std::optional<Daemon> mountd_;
  bool nfsd_started_ = false;
  std::string timings_;
};

}  // namespace numalab::guest
