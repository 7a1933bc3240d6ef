// page-migration in real guests with Debian's kernel: first-touch placement, migrate_pages between
// node sets and move_pages in bulk pass, with plausible rates and no page on a wrong node; a guest
// with one memory node cannot run it and says why.

#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

class PageMigration : public NumalabFixture {
 protected:
  // Runs a lab whose only workload is page-migration and checks it passed with sane metrics.
  void expect_pass(const std::filesystem::path& lab, double steps) {
    auto inv = run(lab);
    ASSERT_EQ(inv.exit_code, 0) << inv.out << inv.err;
    ASSERT_TRUE(inv.summary.is_object()) << inv.err;
    const auto& w = inv.summary["workloads"][0];
    EXPECT_EQ(w["name"], "page-migration");
    ASSERT_EQ(w["verdict"], "pass") << w["detail"];
    const auto& m = w["metrics"];
    auto value = [&](const char* name) { return m.at(name).at("value").get<double>(); };
    EXPECT_GT(value("migrate_pages_per_s"), 0.0);
    EXPECT_EQ(m["migrate_pages_per_s"]["better"], "higher");
    EXPECT_EQ(m["migrate_pages_per_s"]["unit"], "pages/s");
    EXPECT_GT(value("move_pages_per_s"), 0.0);
    EXPECT_GT(value("migrate_pages_moved"), 0.0);
    EXPECT_GT(value("move_pages_moved"), 0.0);
    EXPECT_EQ(value("migrate_pages_wrong_node"), 0.0);
    EXPECT_EQ(value("move_pages_bad_status"), 0.0);
    EXPECT_EQ(value("first_touch_misplaced"), 0.0);
    EXPECT_EQ(value("migrate_pages_steps"), steps);
  }
};

// {0} -> {1}, {0,1} -> {1}, {0,1} -> {1,0} (the same set), then move_pages.
TEST_F(PageMigration, PassesInTheTwoNodeLab) { expect_pass(source("lab/page-migration.toml"), 3); }

// Adds {0,1} -> {2,3}, the chain {0,1} -> {1,2} and {0,1,2,3} -> {1,2}.
TEST_F(PageMigration, PassesOnFourNodes) {
  auto lab = write_lab("numa4.toml",
                       debian_guest_lab("page-migration-4",
                                        {{"[0]", "256M"}, {"[1]", "256M"}, {"[2]", "256M"}, {"[3]", "256M"}},
                                        "[[workload]]\nname = \"page-migration\"\nmemory = \"16M\"\n"));
  expect_pass(lab, 4);
}

TEST_F(PageMigration, OneMemoryNodeIsAnErrorThatSaysWhy) {
  auto lab =
      write_lab("one-memory-node.toml", debian_guest_lab("one-memory-node", {{"[0]", "256M"}, {"[1]", "0"}},
                                                         "[[workload]]\nname = \"page-migration\"\n"));
  auto inv = run(lab);
  EXPECT_EQ(inv.exit_code, 3) << inv.out << inv.err;
  const auto& w = inv.summary["workloads"][0];
  EXPECT_EQ(w["verdict"], "error");
  EXPECT_NE(w["detail"].get<std::string>().find("at least two nodes with memory"), std::string::npos)
      << w["detail"];
}

}  // namespace
}  // namespace numalab::itest
