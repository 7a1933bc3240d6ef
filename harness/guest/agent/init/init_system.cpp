#include "init/init_system.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <string>

#include "init/power.hpp"

namespace numalab::guest {

namespace {

struct PseudoMount {
  const char* source;
  const char* target;
  const char* type;
  unsigned long flags;
  const char* options;
};

constexpr unsigned long k_nodev_noexec = MS_NOSUID | MS_NODEV | MS_NOEXEC;
constexpr PseudoMount k_mounts[] = {
    {"proc", "/proc", "proc", k_nodev_noexec, nullptr},
    {"sysfs", "/sys", "sysfs", k_nodev_noexec, nullptr},
    {"devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755"},
    {"tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"},
    {"tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"},
    {"cgroup2", "/sys/fs/cgroup", "cgroup2", k_nodev_noexec, nullptr},
};

void on_sigchld(int) {
  int saved = errno;
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  errno = saved;
}

[[noreturn]] void on_terminate() {
  std::string why = "uncaught exception";
  if (auto e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      why = why + ": " + x.what();
    } catch (...) {
    }
  }
  fatal(why + "; the agent cannot go on");
}

}  // namespace

std::vector<std::string> mount_pseudo_file_systems() {
  std::vector<std::string> notes;
  for (const auto& m : k_mounts) {
    ::mkdir(m.target, 0755);  // may exist already; mount says if it cannot be used
    if (::mount(m.source, m.target, m.type, m.flags, m.options) != 0 && errno != EBUSY)
      notes.push_back(std::string("mount ") + m.type + " on " + m.target + ": " + std::strerror(errno));
  }
  return notes;
}

void ensure_console_descriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1) continue;
    int opened = ::open("/dev/console", O_RDWR | O_NOCTTY);
    if (opened < 0) opened = ::open("/dev/null", O_RDWR);
    if (opened >= 0 && opened != fd) {
      ::dup2(opened, fd);
      ::close(opened);
    }
  }
}

void reap_children() {
  struct sigaction sa {};
  sa.sa_handler = on_sigchld;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  ::sigaction(SIGCHLD, &sa, nullptr);
}

void ignore_sigpipe() { ::signal(SIGPIPE, SIG_IGN); }

std::vector<std::string> become_init() {
  std::set_terminate(on_terminate);
  ::umask(022);
  auto notes = mount_pseudo_file_systems();
  ensure_console_descriptors();
  reap_children();
  ignore_sigpipe();
  return notes;
}

}  // namespace numalab::guest
