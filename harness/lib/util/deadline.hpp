#pragma once
// Deadlines, not sleeps: every wait takes a Deadline and recomputes what is left after each
// interrupted call.

#include <algorithm>
#include <chrono>

namespace numalab::util {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;
using Seconds = std::chrono::duration<double>;

class Deadline {
 public:
  static Deadline after(std::chrono::milliseconds d) { return Deadline(SteadyClock::now() + d); }
  static Deadline never() { return Deadline(TimePoint::max()); }
  explicit Deadline(TimePoint at) : at_(at) {}

  TimePoint at() const { return at_; }
  bool expired() const { return SteadyClock::now() >= at_; }
  // Milliseconds left, for poll(2): -1 for never, 0 when expired, capped at a day.
  int poll_timeout_ms() const {
    if (at_ == TimePoint::max()) return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at_ - SteadyClock::now());
    return static_cast<int>(std::clamp<long long>(left.count() + 1, 0, 86'400'000));
  }
  static Deadline earliest(Deadline a, Deadline b) { return a.at_ < b.at_ ? a : b; }

 private:
  TimePoint at_;
};

}  // namespace numalab::util
