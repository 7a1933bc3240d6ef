#include "monitor/console_classifier.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace numalab::monitor {
namespace {

std::string golden(const std::string& name) {
  std::ifstream in(std::string(NUMALAB_GOLDEN_DIR) + "/console/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ConsoleClassifier, FindsThePanicASysrqCrashPrints) {
  const std::string text = golden("sysrq-c-panic-debian-6.1.txt");
  ASSERT_FALSE(text.empty()) << "golden file missing";
  ConsoleClassifier c;
  c.feed(text);
  bool panic = false;
  for (const auto& r : c.reports()) panic |= r.kind == ReportKind::panic && is_fatal(r.kind);
  EXPECT_TRUE(panic);
}

TEST(ConsoleClassifier, ACleanBootHasNoReports) {
  const std::string text = golden("boot-debian-6.1.txt");
  ASSERT_FALSE(text.empty()) << "golden file missing";
  ConsoleClassifier c;
  c.feed(text);
  EXPECT_TRUE(c.reports().empty()) << c.reports().front().first_line;
  EXPECT_GT(c.lines(), 100u);
}

TEST(ConsoleClassifier, LinesSplitAcrossFeedsAreJoined) {
  ConsoleClassifier c;
  EXPECT_TRUE(c.feed("[    1.0] Kernel pa").empty());
  auto r = c.feed("nic - not syncing: sysrq triggered crash\r\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, ReportKind::panic);
  EXPECT_EQ(r[0].first_line, "[    1.0] Kernel panic - not syncing: sysrq triggered crash");
}

TEST(ConsoleClassifier, MemoryStaysBoundedWhateverTheGuestPrints) {
  ConsoleClassifier c;
  const std::string flood(1 << 20, 'A');  // a megabyte without a newline
  for (int i = 0; i < 8; ++i) c.feed(flood);
  auto r = c.feed("\n");
  EXPECT_TRUE(r.empty());
  for (int i = 0; i < 10000; ++i) c.feed("WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x0/0x0\n");
  EXPECT_EQ(c.reports().size(), ConsoleClassifier::k_max_reports);
}

TEST(ConsoleClassifier, HungTaskNeedsItsPrefix) {
  ConsoleClassifier c;
  EXPECT_TRUE(c.feed("the build blocked for more than a minute\n").empty());
  auto r = c.feed("[  120.1] INFO: task kswapd0:42 blocked for more than 120 seconds.\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, ReportKind::hung_task);
  EXPECT_FALSE(is_fatal(r[0].kind));
}

}  // namespace
}  // namespace numalab::monitor
