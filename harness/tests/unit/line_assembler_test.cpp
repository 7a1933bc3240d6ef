// The host side of the agent link: lines assembled from reads, and the rate limit on them.
#include <gtest/gtest.h>

#include "agent/protocol.hpp"

namespace numalab::agent {
namespace {

TEST(LineAssemblerTest, SplitsAcrossFeeds) {
  LineAssembler a;
  EXPECT_TRUE(a.feed(R"({"t":)").empty());
  EXPECT_TRUE(a.feed(R"("done")").empty());
  auto lines = a.feed("}\n{\"t\":\"hb\"}\n{\"t");
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0], R"({"t":"done"})");
  EXPECT_EQ(lines[1], R"({"t":"hb"})");
  lines = a.feed("\"}\n");
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0], R"({"t"})");
  EXPECT_EQ(a.dropped_lines(), 0U);
}

TEST(LineAssemblerTest, StripsCarriageReturnAndSkipsEmptyLines) {
  LineAssembler a;
  auto lines = a.feed("one\r\n\r\n\ntwo\r");
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0], "one");
  lines = a.feed("\nthree\n");
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0], "two");
  EXPECT_EQ(lines[1], "three");
}

TEST(LineAssemblerTest, DropsOverlongLinesWhole) {
  LineAssembler a(8);
  auto lines = a.feed("12345678\n123456789\nok\n");
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0], "12345678");
  EXPECT_EQ(lines[1], "ok");
  EXPECT_EQ(a.dropped_lines(), 1U);

  // Spread over many feeds, the long line is dropped once, and the next line survives.
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(a.feed("xxxxx").empty());
  lines = a.feed("tail\nnext\r\n");
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0], "next");
  EXPECT_EQ(a.dropped_lines(), 2U);

  // The limit is on the content: a CRLF line of exactly max bytes passes.
  lines = a.feed("abcdefgh\r\n");
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0], "abcdefgh");
  lines = a.feed("abcdefgh\r\r\n");
  EXPECT_TRUE(lines.empty());
  EXPECT_EQ(a.dropped_lines(), 3U);
}

TEST(RateLimiterTest, AllowsABurstThenTheRate) {
  RateLimiter r(10, 5);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(r.allow(0.0));
  EXPECT_FALSE(r.allow(0.0));
  EXPECT_FALSE(r.allow(0.05));
  EXPECT_TRUE(r.allow(0.1));  // one token back after 0.1 s at 10/s
  EXPECT_FALSE(r.allow(0.1));
  EXPECT_EQ(r.refused(), 3U);
  // A long pause refills at most the burst.
  int allowed = 0;
  for (int i = 0; i < 20; ++i) allowed += r.allow(100.0) ? 1 : 0;
  EXPECT_EQ(allowed, 5);
}

TEST(RateLimiterTest, ClockGoingBackwardsRefillsNothing) {
  RateLimiter r(1, 1);
  EXPECT_TRUE(r.allow(10.0));
  EXPECT_FALSE(r.allow(5.0));
  EXPECT_FALSE(r.allow(10.5));
  EXPECT_TRUE(r.allow(11.0));
  EXPECT_FALSE(r.allow(std::numeric_limits<double>::quiet_NaN()));
}

}  // namespace
}  // namespace numalab::agent
