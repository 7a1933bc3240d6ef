#include "util/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/unique_fd.hpp"

namespace numalab::util {

namespace {

UniqueFd open_for_child(const std::filesystem::path& p, int flags) {
  if (p.empty()) return UniqueFd(::open("/dev/null", O_RDWR | O_CLOEXEC));
  return UniqueFd(::open(p.c_str(), flags | O_CLOEXEC, 0600));
}

// Runs in the child between fork and exec: async-signal-safe calls only, no allocation.
[[noreturn]] void exec_child(char* const* argv, char* const* envp, int out_fd, int err_fd, const char* cwd,
                             const int* keep, std::size_t nkeep, int report_fd, pid_t parent) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect

  // Ctrl-C at the moment of the fork reaches numalab's whole process group, this child included
  // while it was still in it: the signal is pending here, blocked as in numalab. It was meant for
  // numalab, which stops cleanly; here it would kill the child and turn an interrupt into a failed
  // helper program. Ignoring a pending signal discards it (POSIX); the defaults come back next.
  for (int s : {SIGINT, SIGTERM, SIGHUP}) ::signal(s, SIG_IGN);
  for (int s = 1; s < NSIG; ++s) ::signal(s, SIG_DFL);
  sigset_t all;
  sigemptyset(&all);
  ::sigprocmask(SIG_SETMASK, &all, nullptr);

  int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd >= 0) ::dup2(null_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  // Everything else closes on exec, except the descriptors the caller asked to pass on.
  if (::syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) != 0) {
    for (int fd = 3; fd < 1024; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  for (std::size_t i = 0; i < nkeep; ++i) ::fcntl(keep[i], F_SETFD, 0);
  if (cwd && ::chdir(cwd) != 0) {
    int e = errno;
    (void)!::write(report_fd, &e, sizeof e);
    ::_exit(127);
  }
  ::execvpe(argv[0], argv, envp);
  int e = errno;
  (void)!::write(report_fd, &e, sizeof e);
  ::_exit(127);
}

ExitStatus decode(int wstatus) {
  ExitStatus s;
  if (WIFEXITED(wstatus))
    s.exit_code = WEXITSTATUS(wstatus);
  else if (WIFSIGNALED(wstatus))
    s.signal = WTERMSIG(wstatus);
  return s;
}

}  // namespace

std::string ExitStatus::to_string() const {
  if (exit_code) return "exit " + std::to_string(*exit_code);
  if (signal) return "signal " + std::to_string(*signal) + " (" + ::strsignal(*signal) + ")";
  return "running";
}

Result<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv, const ChildOptions& opts) {
  if (argv.empty()) return fail(ErrorKind::internal, "spawn: empty argv");
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  // The child's environment: ours, with opts.env replacing variables of the same name.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    const std::string_view var(*e);
    const auto name = var.substr(0, var.find('=') + 1);
    bool replaced = false;
    for (const auto& o : opts.env) replaced = replaced || o.starts_with(name);
    if (!replaced) env_strings.emplace_back(var);
  }
  env_strings.insert(env_strings.end(), opts.env.begin(), opts.env.end());
  std::vector<char*> cenv;
  for (auto& e : env_strings) cenv.push_back(e.data());
  cenv.push_back(nullptr);

  const int out_flags = O_WRONLY | O_CREAT | O_TRUNC;
  UniqueFd out = opts.stdout_fd >= 0 ? UniqueFd(::fcntl(opts.stdout_fd, F_DUPFD_CLOEXEC, 3))
                                     : open_for_child(opts.stdout_path, out_flags);
  UniqueFd err = opts.stderr_path == opts.stdout_path && !opts.stdout_path.empty()
                     ? UniqueFd(::fcntl(out.get(), F_DUPFD_CLOEXEC, 3))
                     : open_for_child(opts.stderr_path, out_flags);
  if (!out || !err)
    return fail(ErrorKind::cannot_run,
                "cannot open the output files of " + argv[0] + ": " + errno_text(errno));
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return fail(ErrorKind::cannot_run, "pipe: " + errno_text(errno));
  UniqueFd report_r(report[0]), report_w(report[1]);

  const char* cwd = opts.working_dir.empty() ? nullptr : opts.working_dir.c_str();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return fail(ErrorKind::cannot_run, "fork: " + errno_text(errno));
  if (pid == 0)
    exec_child(cargv.data(), cenv.data(), out.get(), err.get(), cwd, opts.keep_fds.data(),
               opts.keep_fds.size(), report_w.get(), parent);
  ::setpgid(pid, pid);  // also here, so the group exists before the parent signals it
  report_w.reset();

  ChildProcess child(pid);
  int child_errno = 0;
  ssize_t n;
  do n = ::read(report_r.get(), &child_errno, sizeof child_errno);
  while (n < 0 && errno == EINTR);
  if (n > 0) {
    child.stop(std::chrono::milliseconds(0));
    return fail(ErrorKind::cannot_run, "cannot start " + argv[0] + ": " + errno_text(child_errno));
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept : pid_(std::exchange(o.pid_, -1)), status_(o.status_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& o) noexcept {
  if (this != &o) {
    if (pid_ > 0 && !status_) stop();
    pid_ = std::exchange(o.pid_, -1);
    status_ = o.status_;
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !status_) stop();
}

bool ChildProcess::try_reap() {
  if (status_ || pid_ <= 0) return true;
  int ws = 0;
  pid_t r;
  do r = ::waitpid(pid_, &ws, WNOHANG);
  while (r < 0 && errno == EINTR);
  if (r == pid_)
    status_ = decode(ws);
  else if (r < 0)
    status_ = ExitStatus{std::nullopt, std::nullopt};  // not ours any more
  return status_.has_value();
}

bool ChildProcess::running() { return !try_reap(); }

std::optional<ExitStatus> ChildProcess::wait_until(Deadline deadline) {
  if (try_reap()) return status_;
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
  while (!try_reap()) {
    if (deadline.expired()) return std::nullopt;
    if (pidfd) {
      pollfd p{pidfd.get(), POLLIN, 0};
      ::poll(&p, 1, deadline.poll_timeout_ms());
    } else {
      ::poll(nullptr, 0, std::min(20, std::max(0, deadline.poll_timeout_ms())));
    }
  }
  return status_;
}

void ChildProcess::signal_group(int sig) {
  if (pid_ > 0 && !try_reap()) ::kill(-pid_, sig);
}

ExitStatus ChildProcess::stop(std::chrono::milliseconds term_grace) {
  if (pid_ <= 0) return {};
  if (!try_reap()) {
    ::kill(-pid_, SIGTERM);
    if (!wait_until(Deadline::after(term_grace))) {
      ::kill(-pid_, SIGKILL);
      wait_until(Deadline::never());
    }
  }
  return *status_;
}

Result<std::string> capture_output(const std::vector<std::string>& argv, Deadline deadline,
                                   std::size_t max_bytes) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return fail(ErrorKind::cannot_run, "pipe: " + errno_text(errno));
  UniqueFd rd(p[0]), wr(p[1]);
  ChildOptions opts;
  opts.stdout_fd = wr.get();
  auto child = ChildProcess::spawn(argv, opts);
  if (!child) return std::unexpected(child.error());
  wr.reset();
  std::string out;
  char buf[4096];
  for (;;) {
    pollfd pfd{rd.get(), POLLIN, 0};
    int r = ::poll(&pfd, 1, deadline.poll_timeout_ms());
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) {
      child->stop(std::chrono::milliseconds(0));
      return fail(ErrorKind::cannot_run, argv[0] + " did not finish in time");
    }
    ssize_t n = ::read(rd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (out.size() < max_bytes) out.append(buf, std::min<std::size_t>(n, max_bytes - out.size()));
  }
  auto st = child->wait_until(deadline);
  if (!st) {
    child->stop(std::chrono::milliseconds(0));
    return fail(ErrorKind::cannot_run, argv[0] + " did not finish in time");
  }
  if (st->exit_code != 0) return fail(ErrorKind::cannot_run, argv[0] + " failed: " + st->to_string());
  return out;
}

}  // namespace numalab::util
