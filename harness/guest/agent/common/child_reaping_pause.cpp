#include "common/child_reaping_pause.hpp"

#include <sys/wait.h>

namespace numalab::guest {

ChildReapingPause::ChildReapingPause() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  restore_ = ::sigaction(SIGCHLD, &dfl, &saved_) == 0;
}

ChildReapingPause::~ChildReapingPause() {
  if (!restore_) return;
  ::sigaction(SIGCHLD, &saved_, nullptr);
  if (saved_.sa_handler != SIG_DFL && saved_.sa_handler != SIG_IGN)
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}

}  // namespace numalab::guest
