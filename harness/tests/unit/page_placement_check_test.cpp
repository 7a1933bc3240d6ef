#include "workload/common/page_placement_check.hpp"

#include <gtest/gtest.h>

#include <cerrno>

namespace numalab::workload {
namespace {

TEST(PagePlacementCheckTest, AllInPlaceIsClean) {
  auto c = check_placement({0, 1, 0}, {0, 1, 0});
  EXPECT_EQ(c.wrong, 0u);
  EXPECT_TRUE(c.examples.empty());
  EXPECT_EQ(describe(c), "");
}

TEST(PagePlacementCheckTest, NamesThePageTheExpectedNodeAndWhereItIs) {
  auto c = check_placement({0, 1, 1, 1, 1, 1}, {0, 0, -EBUSY, k_status_not_written, 0, 0});
  EXPECT_EQ(c.wrong, 5u);
  ASSERT_EQ(c.examples.size(), 3u);
  EXPECT_EQ(c.examples[0], (MisplacedPage{1, 1, 0}));
  EXPECT_EQ(describe(c.examples[0]), "page 1 expected on node 1, is on node 0");
  EXPECT_EQ(describe(c.examples[1]).substr(0, 43), "page 2 expected on node 1, status -16 (Devi");
  EXPECT_EQ(describe(c.examples[2]), "page 3 expected on node 1, no status (move_pages stopped before it)");
  EXPECT_NE(describe(c).find("(and 2 more)"), std::string::npos) << describe(c);
}

TEST(PagePlacementCheckTest, MissingStatusesAreNotWritten) {
  auto c = check_placement({0, 1}, {0});
  EXPECT_EQ(c.wrong, 1u);
  EXPECT_EQ(c.examples.at(0).status, k_status_not_written);
}

}  // namespace
}  // namespace numalab::workload
