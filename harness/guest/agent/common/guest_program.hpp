#pragma once
// Programs of the guest image (the NFS server's userland) run from the agent: fork and execve with
// a fixed argv and environment, never a shell; stdout and stderr go to a log file whose tail is
// the error detail. The caller holds a ChildReapingPause (child_reaping_pause.hpp) while any of
// these lives, so that their exit status is theirs to read.

#include <sys/types.h>

#include <chrono>
#include <expected>
#include <filesystem>
#include <string>
#include <vector>

namespace numalab::guest {

// "rpc.nfsd 8: exit 1: rpc.nfsd: unable to bind..." from argv, a wait status and the log's tail.
std::string program_failure(const std::vector<std::string>& argv, const std::string& how,
                            const std::filesystem::path& log);

// Runs argv[0] (an absolute path) to completion. Past timeout it is killed and reaped (reap_child,
// child_end.hpp: bounded). An error
// names the program, how it ended and the tail of what it wrote.
std::expected<void, std::string> run_program(const std::vector<std::string>& argv,
                                             const std::filesystem::path& log,
                                             std::chrono::milliseconds timeout);

// A daemon kept in the foreground (rpcbind -f, rpc.mountd -F). Stopped (SIGTERM, a grace period,
// SIGKILL) and reaped on destruction at the latest.
class Daemon {
 public:
  static std::expected<Daemon, std::string> start(std::vector<std::string> argv, std::filesystem::path log);
  Daemon(Daemon&& o) noexcept;
  Daemon& operator=(Daemon&&) = delete;
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  ~Daemon() { stop(); }

  // Empty while it runs; else why it is gone ("rpcbind -f: exit 1: ..."), reaping it.
  std::string gone();
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(2));

 private:
  Daemon(std::vector<std::string> argv, std::filesystem::path log, pid_t pid)
      : argv_(std::move(argv)), log_(std::move(log)), pid_(pid) {}
  std::vector<std::string> argv_;
  std::filesystem::path log_;
  pid_t pid_ = -1;
  std::string ended_;
};

}  // namespace numalab::guest
