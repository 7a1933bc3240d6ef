#include "common/child_end.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <thread>

namespace numalab::guest {

namespace {

// How often an exited child is looked for: short, as a workload's latency may include the wait.
constexpr auto k_reap_poll = std::chrono::milliseconds(2);

}  // namespace

std::optional<ChildEnd> reap_child(pid_t pid, util::Deadline deadline) {
  if (pid <= 0) return ChildEnd{};  // wait4(-1) would reap any child: there is none to ask about
  for (;;) {
    ChildEnd end;
    int status = 0;
    const pid_t r = ::wait4(pid, &status, WNOHANG, &end.usage);
    if (r == pid) {
      end.wait_status = status;
      return end;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return ChildEnd{};  // ECHILD: not ours to reap any more
    if (deadline.expired()) return std::nullopt;
    std::this_thread::sleep_for(k_reap_poll);
  }
}

}  // namespace numalab::guest
