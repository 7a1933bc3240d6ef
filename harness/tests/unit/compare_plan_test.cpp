// numalab compare LAB --plan: the boots a change needs, from the stored A/A compares of the lab,
// with the store in a temporary folder and the compares stored through the store's API.

#include "report/compare_plan.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "cli/compare_command.hpp"
#include "cli/compare_plan_command.hpp"
#include "compare/log_scale.hpp"
#include "slot_runs_support.hpp"
#include "util/temp_dir.hpp"

namespace numalab {
namespace {

using test_support::slot_compare;

// What a command printed on stdout, and its exit status.
struct Printed {
  int status = -1;
  std::string out;
};

Printed plan_command(cli::CompareArgs args) {
  args.plan = true;
  std::ostringstream out;
  auto* old = std::cout.rdbuf(out.rdbuf());
  util::NoStopRequest stop;
  const int status = cli::cmd_compare(args, stop);
  std::cout.rdbuf(old);
  return {status, out.str()};
}

class ComparePlanCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = util::ScopedTempDir::create("numalab-plan-");
    ASSERT_TRUE(dir);
    dir_.emplace(std::move(*dir));
    args_.lab = std::filesystem::path(NUMALAB_SOURCE_DIR) / "lab/default.toml";  // lab "numa2"
    args_.results = dir_->path() / "results";
  }

  std::unique_ptr<store::ResultsStore> open() {
    std::filesystem::create_directories(args_.results);
    auto s = store::ResultsStore::open((args_.results / "numalab.db").string());
    EXPECT_TRUE(s.has_value());
    return std::move(*s);
  }

  std::optional<util::ScopedTempDir> dir_;
  cli::CompareArgs args_;
};

TEST_F(ComparePlanCommand, WithoutAnAaCompareItSaysHowToMakeOne) {
  {
    auto s = open();
    slot_compare(*s, "numa2", {"base", "patched"}, 1.04, true);  // not A/A
  }
  const auto p = plan_command(args_);
  EXPECT_EQ(p.status, 0);
  EXPECT_NE(p.out.find("no A/A compare of lab numa2"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("1 compare of it"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("run an A/A compare first:\n  numalab compare " + args_.lab.string() +
                       " --kernel X --kernel X --repeat 10"),
            std::string::npos)
      << p.out;
}

TEST_F(ComparePlanCommand, PoolsTheAaComparesOfTheLabOnly) {
  {
    auto s = open();
    slot_compare(*s, "numa2", {"base", "base"}, 1.0, false);     // c0001: A/A, one after another
    slot_compare(*s, "numa2", {"base", "base"}, 1.0, true);      // c0002: A/A, side by side
    slot_compare(*s, "numa2", {"base", "patched"}, 1.04, true);  // c0003: not A/A
    slot_compare(*s, "elsewhere", {"base", "base"}, 1.0, true);  // c0004: another lab
  }
  const auto p = plan_command(args_);
  EXPECT_EQ(p.status, 0);
  EXPECT_NE(p.out.find("from the A/A compares c0001, c0002; blocked by slot: c0002"), std::string::npos)
      << p.out;
  EXPECT_NE(p.out.find("a 10 % change with 80 % power"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("numa02 elapsed_s"), std::string::npos) << p.out;

  auto s = open();
  auto plan = report::plan_from_store(*s, "numa2", "no such sha", {});
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->compares_of_lab, 3u);
  const auto& m = plan->metrics.at(0);
  EXPECT_EQ(m.key.name, "elapsed_s");
  EXPECT_EQ(m.boots, 20u) << "2 compares, 2 kernels, 5 boots";
  EXPECT_NEAR(*m.cv, 0.2, 0.03) << "the slots' load: 1.0, 1.5, 0.9, 1.3, 1.1";
  const double s_log = compare::log_sd_of_cv(*m.cv);
  EXPECT_EQ(m.boots_needed, compare::boots_needed_unblocked(s_log, s_log, {}));
  EXPECT_EQ(m.slots, 5u) << "only the side-by-side A/A compare counts for blocking";
  EXPECT_LT(*m.blocked_cv, 0.02);
  EXPECT_LT(*m.boots_needed_blocked, *m.boots_needed);
  // The lab file's sha256 finds it too, whatever its name.
  auto by_sha = report::plan_from_store(*s, "renamed", "sha-of-elsewhere", {});
  ASSERT_TRUE(by_sha);
  EXPECT_EQ(by_sha->aa_compares, std::vector<std::string>{"c0004"});
}

TEST_F(ComparePlanCommand, TheChangeAndThePowerAreTheUsers) {
  {
    auto s = open();
    slot_compare(*s, "numa2", {"base", "base"}, 1.0, true);
  }
  args_.change = "20%";
  args_.power = 0.9;
  const auto p = plan_command(args_);
  EXPECT_EQ(p.status, 0);
  EXPECT_NE(p.out.find("a 20 % change with 90 % power"), std::string::npos) << p.out;
  EXPECT_EQ(cli::parse_change("2.5%"), 0.025);
  EXPECT_EQ(cli::parse_change("10"), 0.10);
  EXPECT_EQ(cli::parse_change("10 %"), 0.10);
  EXPECT_FALSE(cli::parse_change("0%"));
  EXPECT_FALSE(cli::parse_change("ten"));
  EXPECT_FALSE(cli::parse_change("%"));
}

TEST_F(ComparePlanCommand, BadInputExits2) {
  auto bad_change = args_;
  bad_change.change = "-5%";
  EXPECT_EQ(plan_command(bad_change).status, 2);
  auto bad_power = args_;
  bad_power.power = 1.0;
  EXPECT_EQ(plan_command(bad_power).status, 2);
  auto no_lab = args_;
  no_lab.lab.clear();
  EXPECT_EQ(plan_command(no_lab).status, 2);
  auto missing = args_;
  missing.lab = dir_->path() / "no-such.toml";
  EXPECT_EQ(plan_command(missing).status, 2);
}

}  // namespace
}  // namespace numalab
