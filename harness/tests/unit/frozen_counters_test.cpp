#include "run/frozen_counters.hpp"

#include <gtest/gtest.h>

namespace numalab::run {
namespace {

using std::chrono::seconds;

TEST(FrozenCounters, EachCounterWithItsValueAndHowLongItStood) {
  const util::TimePoint t0{};
  const std::map<std::string, CounterState> counters = {{"progress.pages_done", {123339, t0 + seconds(40)}},
                                                        {"progress.pswpin", {39893, t0 + seconds(39)}}};
  EXPECT_EQ(describe_frozen(counters, t0 + seconds(99), t0 + seconds(100)),
            "; frozen: pages_done at 123339 for 60 s, pswpin at 39893 for 61 s");
  EXPECT_EQ(describe_frozen({}, t0, t0 + seconds(100)), "");
}

// In a swap deadlock the agent's sampler thread can itself be stuck in reclaim: the values are
// then the last it sent (a hog "at 0 pages" that had filled memory), and the reason says so.
TEST(FrozenCounters, SamplesThatStoppedComingAreSaidToHaveStopped) {
  const util::TimePoint t0{};
  const std::map<std::string, CounterState> counters = {{"progress.pages_done", {0, t0}}};
  EXPECT_EQ(describe_frozen(counters, t0 + seconds(74), t0 + seconds(224)),
            "; frozen: pages_done at 0 for 224 s; the last progress sample came 150 s ago");
  EXPECT_EQ(describe_frozen(counters, t0 + seconds(220), t0 + seconds(224)),
            "; frozen: pages_done at 0 for 224 s")
      << "a sample a few seconds old is the normal pace";
}

}  // namespace
}  // namespace numalab::run
