#include "model/duration.hpp"

#include <gtest/gtest.h>

namespace numalab::model {
namespace {

using std::chrono::milliseconds;

TEST(ParseDuration, DigitsAndAUnit) {
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("30s"), std::chrono::seconds(30));
  EXPECT_EQ(parse_duration("2m"), std::chrono::minutes(2));
  EXPECT_EQ(parse_duration("1h"), std::chrono::hours(1));
  EXPECT_EQ(parse_duration("0s"), milliseconds(0));
  EXPECT_EQ(parse_duration("999999999999h"), std::chrono::hours(999999999999));
}

TEST(ParseDuration, RejectsWhatIsNotADuration) {
  for (const char* text :
       {"", "s", "8", "1.5s", "-1s", "+1s", " 1s", "1s ", "1 s", "1S", "1d", "1sec", "1000000000000s"})
    EXPECT_EQ(parse_duration(text), std::nullopt) << "'" << text << "'";
}

TEST(FormatDuration, TheShortestTextThatReadsBack) {
  EXPECT_EQ(format_duration(milliseconds(2000)), "2s");
  EXPECT_EQ(format_duration(milliseconds(1500)), "1500ms");
  EXPECT_EQ(format_duration(std::chrono::minutes(30)), "30m");
  EXPECT_EQ(format_duration(std::chrono::hours(1)), "1h");
  EXPECT_EQ(format_duration(milliseconds(0)), "0s");
  for (auto d : {milliseconds(1), milliseconds(61'000), milliseconds(7'200'000)})
    EXPECT_EQ(parse_duration(format_duration(d)), d) << d.count();
}

}  // namespace
}  // namespace numalab::model
