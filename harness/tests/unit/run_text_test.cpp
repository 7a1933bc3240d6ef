// numalab show: what a user reads about a run.

#include "cli/run_text.hpp"

#include <gtest/gtest.h>

#include "store_test_support.hpp"

namespace numalab::cli {
namespace {

TEST(RunText, AnAbsentMetricSaysAbsentNeverNan) {
  const std::string text = format_run(store::testing::sample_run("0001"), false);
  const auto at = text.find("numa_pte_updates");
  ASSERT_NE(at, std::string::npos) << text;
  const std::string line = text.substr(at, text.find('\n', at) - at);
  EXPECT_NE(line.find("absent"), std::string::npos) << line;
  EXPECT_EQ(line.find("nan"), std::string::npos) << line;
  EXPECT_EQ(line.find(" 0"), std::string::npos) << line;
}

TEST(RunText, ASeriesIsSummarisedInOneLine) {
  const std::string text = format_run(store::testing::sample_run("0001"), false);
  EXPECT_NE(text.find("locality_pct                 3 samples over 2 s, last 97.25"), std::string::npos)
      << text;
}

TEST(RunText, AFaultSaysWhenEachCounterMovedAgain) {
  auto run = store::testing::sample_run("0001");
  run.faults = {{.kind = "pause",
                 .machine = "guest-a",
                 .network = "",
                 .after = "pswpout",
                 .planned_at_s = 45,
                 .duration_s = 5,
                 .applied_at_s = 45.01,
                 .ended_at_s = 50.02,
                 .first_progress_after_s = 0.2,
                 .resumed = {{"guest-b", "pages_verified", 0.2}, {"guest-b", "pswpin", 1.94}},
                 .detail = ""}};
  const std::string text = format_run(run, false);
  EXPECT_NE(text.find("fault pause on guest-a for 5.0 s at +45.0 s after pswpout moved: progress again 0.2 s "
                      "after it ended\n"),
            std::string::npos)
      << text;
  // Two machines: each counter names its machine.
  EXPECT_NE(text.find("moved again after: pages_verified (guest-b) 0.2 s, pswpin (guest-b) 1.9 s\n"),
            std::string::npos)
      << text;
  run.machines.resize(1);
  EXPECT_NE(format_run(run, false).find("moved again after: pages_verified 0.2 s, pswpin 1.9 s\n"),
            std::string::npos);
}

// The clean-state contract: what the agent put back after a workload, and what stayed different,
// under the workload it belongs to.
TEST(RunText, AWorkloadSaysWhatTheAgentPutBackAndWhatItLeft) {
  const std::string text = format_run(store::testing::sample_run("0001"), false);
  const auto at = text.find("migrate-pages");
  ASSERT_NE(at, std::string::npos) << text;
  const auto next = text.find("hackbench", at);
  const std::string block = text.substr(at, next - at);
  EXPECT_NE(block.find("      restored after it: cgroup /sys/fs/cgroup/numalab-rebind removed\n"),
            std::string::npos)
      << block;
  EXPECT_NE(
      block.find("      left different: swap /export/swapfile still on (swap areas are only reported)\n"),
      std::string::npos)
      << block;
  EXPECT_EQ(text.substr(0, at).find("restored after it"), std::string::npos) << "only that workload's";
}

}  // namespace
}  // namespace numalab::cli
