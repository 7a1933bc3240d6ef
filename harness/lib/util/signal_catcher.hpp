#pragma once
// SIGINT, SIGTERM and SIGHUP as a file descriptor: while a SignalCatcher lives they are blocked and
// delivered to fd() (a signalfd) instead of ending the process, so a poll loop can stop its VMs
// first. Catchers nest: an inner one also sees a signal that arrived while only the outer one
// was alive (it stays pending until read), and restores the outer one's mask when it goes.
// Children started with ChildProcess get an empty signal mask whatever is blocked here.

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "util/unique_fd.hpp"

namespace numalab::util {

class SignalCatcher {
 public:
  SignalCatcher() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    ::sigprocmask(SIG_BLOCK, &set, &old_);
    fd_.reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  }
  ~SignalCatcher() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  SignalCatcher(const SignalCatcher&) = delete;
  SignalCatcher& operator=(const SignalCatcher&) = delete;

  int fd() const { return fd_.get(); }
  // The signal that arrived, or 0 when none did (never blocks).
  int take() {
    signalfd_siginfo info{};
    return ::read(fd_.get(), &info, sizeof info) == sizeof info ? static_cast<int>(info.ssi_signo) : 0;
  }

 private:
  sigset_t old_{};
  UniqueFd fd_;
};

}  // namespace numalab::util
