#pragma once
// SIGINT, SIGTERM and SIGHUP as a file descriptor: while the SignalCatcher lives they are blocked
// and delivered to fd() (a signalfd) instead of ending the process. numalab's main creates one
// before anything else and keeps it to the end, so there is no moment at which Ctrl-C kills it:
// every loop stops its VMs, stores what it has and returns, and main exits 128 + the signal.
// Children started with ChildProcess discard a signal sent to numalab's process group before they
// moved to their own, then run with an empty mask (util/child_process.cpp).

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "util/stop_request.hpp"
#include "util/unique_fd.hpp"

namespace numalab::util {

class SignalCatcher final : public StopRequest {
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
  ~SignalCatcher() override { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  SignalCatcher(const SignalCatcher&) = delete;
  SignalCatcher& operator=(const SignalCatcher&) = delete;

  int fd() const override { return fd_.get(); }
  // Reads every signal waiting (so fd() is not left readable), keeps the first.
  int signal() override {
    signalfd_siginfo info{};
    while (::read(fd_.get(), &info, sizeof info) == sizeof info)
      if (signal_ == 0) signal_ = static_cast<int>(info.ssi_signo);
    return signal_;
  }

 private:
  sigset_t old_{};
  UniqueFd fd_;
  int signal_ = 0;
};

}  // namespace numalab::util
