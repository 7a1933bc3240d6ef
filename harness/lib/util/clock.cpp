#include "util/clock.hpp"

#include <cerrno>

namespace numalab::util {

int SystemClock::wait(std::span<pollfd> fds, TimePoint until) {
  for (;;) {
    const int n = ::poll(fds.data(), fds.size(), Deadline(until).poll_timeout_ms());
    if (n >= 0 || errno != EINTR) return n < 0 ? 0 : n;
  }
}

}  // namespace numalab::util
