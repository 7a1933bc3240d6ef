// Reproducer bundles from the outside: a run that crashes at once (trigger action = "panic" on
// Debian's kernel, no memory dump), bundled, listed, and run again twice with numalab repro.

#include <algorithm>

#include "numalab_runner.hpp"
#include "util/child_process.hpp"

namespace numalab::itest {
namespace {

class Bundle : public NumalabFixture {};

TEST_F(Bundle, PanicRunBundlesAndReproducesTwoOfTwo) {
  const auto lab =
      write_lab("panic.toml", debian_guest_lab("bundle-panic", {{"[0]", "512M"}},
                                               "[[workload]]\nname = \"trigger\"\naction = \"panic\"\n"));
  auto crashed = run(lab, {"--no-dump"});
  ASSERT_EQ(crashed.exit_code, 4) << crashed.out << crashed.err;
  ASSERT_EQ(crashed.summary["verdict"], "crash");
  const std::string run_id = crashed.summary["run_id"];

  const auto archive = tmp() / "panic-bundle.tar.gz";
  auto b = start({"bundle", run_id, "--results", results().string(), "-o", archive.string()});
  auto bundled = finish(b, std::chrono::seconds(60));
  ASSERT_EQ(bundled.exit_code, 0) << bundled.out << bundled.err;
  EXPECT_NE(bundled.out.find(archive.string()), std::string::npos) << bundled.out;

  auto listing = util::capture_output({"tar", "-tzf", archive.string()},
                                      util::Deadline::after(std::chrono::seconds(30)));
  ASSERT_TRUE(listing) << listing.error().message;
  const std::string top = "run-" + run_id + "/";
  for (const std::string f :
       {"bundle.json", "lab.toml", "summary.json", "machines/guest/kernel.json",
        "machines/guest/qemu-argv.json", "machines/guest/agent.jsonl", "machines/guest/console.log",
        "machines/guest/reports.json", "machines/guest/capture.json"})
    EXPECT_NE(listing->find(top + f + "\n"), std::string::npos) << f << " missing from\n" << *listing;
  EXPECT_EQ(listing->find("vmcore"), std::string::npos);   // only with --with-dump
  EXPECT_EQ(listing->find("bzImage"), std::string::npos);  // only with --with-kernel
  auto reports = util::capture_output({"tar", "-xzOf", archive.string(), top + "machines/guest/reports.json"},
                                      util::Deadline::after(std::chrono::seconds(30)));
  ASSERT_TRUE(reports);
  EXPECT_NE(reports->find("\"kind\": \"panic\""), std::string::npos) << *reports;

  auto r = start({"repro", archive.string(), "--runs", "2", "--results", results().string(), "--no-dump"});
  auto repro = finish(r, std::chrono::seconds(240));
  EXPECT_EQ(repro.exit_code, 0) << repro.out << repro.err;
  EXPECT_NE(repro.out.find("repro 1 of 2: run "), std::string::npos) << repro.out;
  EXPECT_NE(repro.out.find("reproduced 2 of 2 (100 %, 95 % CI 34–100 %, Wilson)"), std::string::npos)
      << repro.out;
  EXPECT_NE(repro.out.find("time to failure: "), std::string::npos) << repro.out;
  EXPECT_NE(repro.out.find("the same image as the bundled run's"), std::string::npos) << repro.out;
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
}

TEST_F(Bundle, ReproRefusesWhatIsNotABundle) {
  const auto junk = write_lab("junk.tar.gz", "not an archive");
  auto r = start({"repro", junk.string(), "--results", results().string()});
  auto inv = finish(r, std::chrono::seconds(30));
  EXPECT_EQ(inv.exit_code, 2) << inv.out << inv.err;
  EXPECT_NE(inv.err.find("is not a gzip'd tar"), std::string::npos) << inv.err;
}

}  // namespace
}  // namespace numalab::itest
