#pragma once
// The "frozen: ..." part of a hang's reason: each progress counter's last value and how long it
// has not moved, and, when the samples themselves stopped coming, when the last one came (then the
// values are the last the guest sent, not what it is doing: its sampler may be stuck too).

#include <map>
#include <string>

#include "util/deadline.hpp"

namespace numalab::run {

struct CounterState {
  double value = 0;
  util::TimePoint changed{};  // when the value last changed (or the watch last restarted)
};

// Samples come about once a second; a gap longer than this is worth saying.
inline constexpr auto k_sample_gap_worth_saying = std::chrono::seconds(10);

// "; frozen: pages_done at 0 for 224 s, pswpin at 0 for 224 s; the last progress sample came 150 s
// ago"; "" without counters. Counter names lose their "progress." prefix.
std::string describe_frozen(const std::map<std::string, CounterState>& counters, util::TimePoint last_sample,
                            util::TimePoint now);

}  // namespace numalab::run
