#include "common/guest_program.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/child_end.hpp"
#include "common/proc_file.hpp"
#include "util/deadline.hpp"

namespace numalab::guest {

namespace {

constexpr std::size_t k_tail_bytes = 2000;
constexpr const char* k_environment[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", nullptr};

// "exit 1", or "lost (waitpid failed)" when the status went to someone else.
std::string end_text(const ChildEnd& end) {
  if (!end.wait_status) return "lost (waitpid failed)";
  const int status = *end.wait_status;
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + ::strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

std::string joined(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& a : argv) text += (text.empty() ? "" : " ") + a;
  return text;
}

// fork + execve; the child only makes system calls. stdin is /dev/null, stdout and stderr the log.
std::expected<pid_t, std::string> spawn(const std::vector<std::string>& argv,
                                        const std::filesystem::path& log) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) return std::unexpected("open " + log.string() + ": " + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    if (in >= 0) ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::setsid();
    ::execve(args[0], args.data(), const_cast<char* const*>(k_environment));
    const char msg[] = "execve failed\n";
    (void)!::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  const int e = errno;
  ::close(out);
  if (pid < 0) return std::unexpected(std::string("fork: ") + std::strerror(e));
  return pid;
}

}  // namespace

std::string program_failure(const std::vector<std::string>& argv, const std::string& how,
                            const std::filesystem::path& log) {
  auto text = read_proc_file(log, 1024 * 1024);
  std::string tail = text ? *text : "";
  if (tail.size() > k_tail_bytes) tail = "..." + tail.substr(tail.size() - k_tail_bytes);
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == ' ')) tail.pop_back();
  return joined(argv) + ": " + how + (tail.empty() ? " (no output)" : ": " + tail);
}

std::expected<void, std::string> run_program(const std::vector<std::string>& argv,
                                             const std::filesystem::path& log,
                                             std::chrono::milliseconds timeout) {
  auto pid = spawn(argv, log);
  if (!pid) return std::unexpected(joined(argv) + ": " + pid.error());
  auto end = reap_child(*pid, util::Deadline::after(timeout));
  if (!end) {
    ::kill(-*pid, SIGKILL);
    ::kill(*pid, SIGKILL);
    reap_child(*pid, util::Deadline::after(k_kill_bound));  // or abandoned, stuck in the kernel
    return std::unexpected(
        program_failure(argv, "still running after " + std::to_string(timeout.count()) + " ms, killed", log));
  }
  if (end->wait_status == 0) return {};
  return std::unexpected(program_failure(argv, end_text(*end), log));
}

std::expected<Daemon, std::string> Daemon::start(std::vector<std::string> argv, std::filesystem::path log) {
  auto pid = spawn(argv, log);
  if (!pid) return std::unexpected(joined(argv) + ": " + pid.error());
  return Daemon(std::move(argv), std::move(log), *pid);
}

Daemon::Daemon(Daemon&& o) noexcept
    : argv_(std::move(o.argv_)), log_(std::move(o.log_)), pid_(o.pid_), ended_(std::move(o.ended_)) {
  o.pid_ = -1;
}

std::string Daemon::gone() {
  if (pid_ < 0) return ended_;
  auto end = reap_child(pid_, no_wait());
  if (!end) return "";
  pid_ = -1;
  ended_ = program_failure(argv_, end_text(*end), log_);
  return ended_;
}

void Daemon::stop(std::chrono::milliseconds grace) {
  if (pid_ < 0) return;
  ::kill(-pid_, SIGTERM);
  ::kill(pid_, SIGTERM);
  if (!reap_child(pid_, util::Deadline::after(grace))) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    reap_child(pid_, util::Deadline::after(k_kill_bound));  // or abandoned, stuck in the kernel
  }
  pid_ = -1;
}

}  // namespace numalab::guest
