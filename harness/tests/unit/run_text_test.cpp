// numalab show: what a user reads about a run.

#include <gtest/gtest.h>

#include "cli/run_text.hpp"
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
  EXPECT_NE(text.find("locality_pct                 3 samples over 2 s, last 97.25"), std::string::npos) << text;
}

}  // namespace
}  // namespace numalab::cli
