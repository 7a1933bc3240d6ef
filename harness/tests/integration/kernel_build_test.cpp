// Kernels built from Debian's linux-source-6.1 and a patch series, checked from the outside: the
// baseline lab kernel boots every example topology; building it again does no compile work; a patch that
// does not apply is bad input naming the patch and the hunk, and leaves no tree behind.

#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

using KernelBuild = LabKernelFixture;

TEST_F(KernelBuild, BaselineKernelBootsEveryExampleTopology) {
  // The first build on a machine is cold: about 12 minutes on 2 cores.
  auto build = start({"build", source("lab/kernels-baseline.toml").string()});
  auto built = finish(build, std::chrono::seconds(1800));
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto inv = run(source("lab/kernels-baseline.toml"));
  ASSERT_EQ(inv.exit_code, 0) << inv.out << inv.err;
  const auto& m = inv.summary["machines"][0];
  EXPECT_EQ(m["kernel"]["name"], "baseline");
  EXPECT_TRUE(m["kernel"]["release"].get<std::string>().starts_with("6.1.")) << m["kernel"];
  EXPECT_EQ(m["topology_seen"]["nodes"].size(), 2u);
  EXPECT_EQ(inv.summary["workloads"][0]["verdict"], "pass");

  // The same kernel in the other example topologies: asymmetric distances, a memory-less node, a
  // CPU-less node. topology-check must pass in each.
  const std::string image = m["kernel"]["path"];
  for (const char* lab : {"lab/numa4-asym.toml", "lab/numa3-memless.toml", "lab/numa3-cpuless.toml"}) {
    auto other = run(source(lab), {"--kernel", image});
    EXPECT_EQ(other.exit_code, 0) << lab << "\n" << other.out << other.err;
    EXPECT_EQ(other.summary["verdict"], "pass") << lab;
  }
}

TEST_F(KernelBuild, SameInputsDoNoCompileWork) {
  auto first = start({"build", source("lab/kernels-baseline.toml").string()});
  ASSERT_EQ(finish(first, std::chrono::seconds(1800)).exit_code, 0);
  const auto t0 = std::chrono::steady_clock::now();
  auto again = start({"build", source("lab/kernels-baseline.toml").string()});
  auto inv = finish(again);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(inv.exit_code, 0) << inv.err;
  EXPECT_NE(inv.err.find("baseline: cached (key "), std::string::npos) << inv.err;
  EXPECT_EQ(inv.err.find("building baseline"), std::string::npos) << "compiled again:\n" << inv.err;
  EXPECT_LT(took, 60.0) << "a cached kernel takes a config check, not a build";
}

TEST_F(KernelBuild, PatchThatDoesNotApplyNamesThePatchAndHunk) {
  const auto series = tmp() / "broken";
  std::filesystem::create_directories(series);
  std::ofstream(series / "series") << "# one good, one bad\n0001-good.patch\n0002-bad.patch\n";
  std::ofstream(series / "0001-good.patch")
      << "--- a/kernel/sched/fair.c\n+++ b/kernel/sched/fair.c\n"
         "@@ -1109 +1109 @@\n-unsigned int sysctl_numa_balancing_scan_delay = 1000;\n"
         "+unsigned int sysctl_numa_balancing_scan_delay = 900;\n";
  std::ofstream(series / "0002-bad.patch")
      << "--- a/mm/mempolicy.c\n+++ b/mm/mempolicy.c\n"
         "@@ -10,3 +10,3 @@\n no such line\n-nor this one\n+replaced\n and not this\n";
  auto lab =
      write_lab("broken.toml", "name = \"broken\"\n[kernel.broken]\nbase = \"debian-6.1\"\nseries = \"" +
                                   series.string() +
                                   "\"\nconfig = [\"numa-lab\"]\n"
                                   "[[machine]]\nname = \"guest\"\nkernel = \"broken\"\n"
                                   "  [[machine.node]]\n  cpus = [0]\n  memory = \"256M\"\n"
                                   "[[workload]]\nname = \"topology-check\"\n");
  auto child = start({"build", lab.string()});
  auto inv = finish(child, std::chrono::seconds(600));
  EXPECT_EQ(inv.exit_code, 2) << inv.err;
  EXPECT_NE(inv.err.find("patch 2 of 2: 0002-bad.patch"), std::string::npos) << inv.err;
  EXPECT_NE(inv.err.find("mm/mempolicy.c: hunk #1 FAILED"), std::string::npos) << inv.err;
  const auto work = util::cache_dir() / "work" / "broken";
  EXPECT_FALSE(std::filesystem::exists(work / "src.new")) << "a half-patched tree was left behind";
}

}  // namespace
}  // namespace numalab::itest
