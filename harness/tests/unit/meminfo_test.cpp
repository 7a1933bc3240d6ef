#include "workload/common/meminfo.hpp"

#include <gtest/gtest.h>

namespace numalab::workload {
namespace {

TEST(Meminfo, ValuesOfProcMeminfo) {
  const char* text =
      "MemTotal:        1004104 kB\n"
      "MemFree:          912340 kB\n"
      "MemAvailable:     880000 kB\n"
      "HugePages_Total:       0\n";
  EXPECT_EQ(meminfo_kb(text, "MemAvailable"), 880000u);
  EXPECT_EQ(meminfo_kb(text, "MemFree"), 912340u);
  EXPECT_EQ(meminfo_kb(text, "HugePages_Total"), 0u);
  EXPECT_FALSE(meminfo_kb(text, "Mem"));
  EXPECT_FALSE(meminfo_kb(text, "SwapTotal"));
  EXPECT_FALSE(meminfo_kb("MemAvailable: lots kB\n", "MemAvailable"));
  EXPECT_FALSE(meminfo_kb("", "MemAvailable"));
}

TEST(Meminfo, MemTotalOfProcAndOfANode) {
  EXPECT_EQ(meminfo_kb("MemTotal:        8053408 kB\nMemFree: 1 kB\n", "MemTotal").value(), 8053408U);
  EXPECT_EQ(meminfo_kb("Node 1 MemTotal:  0 kB\n", "MemTotal").value(), 0U);
  EXPECT_EQ(meminfo_kb("Node 0 MemTotal: 786012 kB\nNode 0 MemFree:  1000 kB\n", "MemFree").value(), 1000U);
  EXPECT_FALSE(meminfo_kb("MemFree: 1 kB\n", "MemTotal").has_value());
  EXPECT_FALSE(meminfo_kb("MemTotal: lots\n", "MemTotal").has_value());
  EXPECT_FALSE(meminfo_kb("MemTotal: 12 MB\n", "MemTotal").has_value());
}

TEST(Meminfo, ErrorsNameTheField) {
  EXPECT_EQ(meminfo_kb("MemFree: 1 kB\n", "MemTotal").error(), "no MemTotal line");
  EXPECT_EQ(meminfo_kb("MemTotal: 12 MB\n", "MemTotal").error(), "bad MemTotal line \"MemTotal: 12 MB\"");
}

}  // namespace
}  // namespace numalab::workload
