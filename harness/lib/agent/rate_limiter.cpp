#include <algorithm>
#include <cmath>

#include "agent/protocol.hpp"

namespace numalab::agent {

bool RateLimiter::allow(double now_s) {
  if (std::isfinite(now_s)) {
    if (last_s_ >= 0 && now_s > last_s_) tokens_ = std::min(burst_, tokens_ + (now_s - last_s_) * rate_);
    // A clock that goes backwards refills nothing and does not move the reference back.
    if (now_s > last_s_) last_s_ = now_s;
  }
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return true;
  }
  ++refused_;
  return false;
}

}  // namespace numalab::agent
