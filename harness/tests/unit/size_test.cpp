#include "model/size.hpp"

#include <gtest/gtest.h>

#include <utility>

namespace numalab::model {
namespace {

TEST(ParseSize, AcceptsBinaryUnits) {
  const std::pair<const char*, std::uint64_t> cases[] = {
      {"0", 0},
      {"1048576", 1048576},
      {"512B", 512},
      {"1K", 1024},
      {"768M", 768ull << 20},
      {"768m", 768ull << 20},
      {"768MiB", 768ull << 20},
      {"768mib", 768ull << 20},
      {"768MB", 768ull << 20},
      {"1G", 1ull << 30},
      {"1GB", 1ull << 30},  // binary: "1GB" is 1 GiB
      {"2T", 2ull << 40},
      {"0768M", 768ull << 20},
      {"16777215T", 16777215ull << 40},
      {"18446744073709551615", 18446744073709551615ull},
  };
  for (const auto& [text, bytes] : cases) EXPECT_EQ(parse_size(text), bytes) << text;
}

TEST(ParseSize, RejectsWhatIsNotASize) {
  for (const char* text :
       {"", "M", "-1M", "+1M", "1.5G", "1,5G", "1 G", " 1G", "1G ", "1 024M", "1X", "1KK", "1iB", "1Gi",
        "1GBB", "0x10", "16777216T", "18446744073709551616", "99999999999999999999K"})
    EXPECT_EQ(parse_size(text), std::nullopt) << "'" << text << "'";
}

TEST(ParseSize, WhatTheGuestReads) {
  EXPECT_EQ(parse_size("16G"), 16ULL << 30);
  EXPECT_EQ(parse_size("18014398509481984K"), std::nullopt) << "2^54 K does not fit in 64 bits";
}

TEST(FormatSize, TheShortestTextThatReadsBack) {
  EXPECT_EQ(format_size(64ull << 20), "64M");
  EXPECT_EQ(format_size(1ull << 30), "1G");
  EXPECT_EQ(format_size(1536ull << 10), "1536K");
  EXPECT_EQ(format_size(4097), "4097");
  EXPECT_EQ(format_size(0), "0");
  for (std::uint64_t bytes : {0ull, 1ull, 1024ull, 3ull << 40, 18446744073709551615ull})
    EXPECT_EQ(parse_size(format_size(bytes)), bytes) << bytes;
}

}  // namespace
}  // namespace numalab::model
