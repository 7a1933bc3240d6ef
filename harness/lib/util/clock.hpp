#pragma once
// Time as the run stage sees it: what time it is now, and waiting for file descriptors until a
// time. Nothing in the run stage reads the clock or sleeps by itself: it asks a Clock, so tests can
// use a fake that jumps to the deadline when nothing is ready (a 180 s boot timeout costs nothing).

#include <poll.h>

#include <span>

#include "util/deadline.hpp"

namespace numalab::util {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  // Waits until one of `fds` is ready or `until` passes; fills their revents. Returns how many are
  // ready (0 when the time came first).
  virtual int wait(std::span<pollfd> fds, TimePoint until) = 0;
};

// The steady clock and poll(2).
class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return SteadyClock::now(); }
  int wait(std::span<pollfd> fds, TimePoint until) override;
};

}  // namespace numalab::util
