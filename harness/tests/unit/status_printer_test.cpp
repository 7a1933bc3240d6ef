// What numalab says while it works (cli/status_printer.hpp): plain lines for CI logs and pipes, one
// redrawn line for a build's progress and a compare's run on a terminal, a repro's runs on stdout.

#include "cli/status_printer.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace numalab::cli {
namespace {

using result::Verdict;

TEST(StatusPrinter, ARunSaysEachStepOnALineOfItsOwn) {
  std::ostringstream out, err;
  {
    StatusPrinter p(out, err, false);
    p.on(run::ImageReady{"guest", "debian", "6.1.0-56-amd64", "afa96e68", true});
    p.on(run::RunStarted{"0017", "results/runs/0017"});
    p.on(run::AcceleratorChosen{"tcg", "KVM probe: QEMU failed under KVM", true});
    p.on(run::MachineStarted{"guest", "pid 4242"});
    p.on(run::MachineBooting{"guest"});
    p.on(run::MachineHello{"guest", 6.849, "6.1.0-56-amd64"});
    p.on(run::StepStarted{"guest", "topology-check"});
    p.on(run::StepEnded{"guest", "topology-check", Verdict::pass, 0.08});
    p.on(run::MachinePoweringOff{"guest"});
    p.on(run::RunFinished{"0017", Verdict::pass, 7.1});
  }
  EXPECT_EQ(err.str(),
            "  guest: kernel debian (6.1.0-56-amd64), guest image afa96e68 (cached)\n"
            "  run 0017: results/runs/0017\n"
            "  accelerator: tcg (KVM probe: QEMU failed under KVM)\n"
            "  guest: QEMU started (pid 4242)\n"
            "  guest: booting\n"
            "  guest: agent hello after 6.85 s, kernel 6.1.0-56-amd64\n"
            "  guest: topology-check\n"
            "  guest: powering off\n");
  EXPECT_EQ(out.str(), "");
}

TEST(StatusPrinter, ACompareInALogSaysEachRunsStartAndEndOnly) {
  std::ostringstream out, err;
  StatusPrinter p(out, err, false);
  run::CompareRun r{0, 4, 1, "baseline", 1, 0, std::nullopt};
  p.on(run::CompareRunStarting{r});
  p.on(run::MachineBooting{"guest"});
  p.on(run::StepStarted{"guest", "cpuset-rebind"});
  r.done = 1;
  r.elapsed_s = 17.3;
  r.remaining_s = 52;
  p.on(run::CompareRunEnded{r, "0001", Verdict::pass, 17.2});
  EXPECT_EQ(err.str(),
            "  run 1 of 4  baseline#1  starting  elapsed 0s\n"
            "  run 1 of 4  baseline#1  pass in 17.2 s (run 0001)  elapsed 17s  ~52s left\n");
}

TEST(StatusPrinter, OnATerminalACompareRunRedrawsOneLineAndAFinishedRunKeepsIt) {
  std::ostringstream out, err;
  StatusPrinter p(out, err, true);
  run::CompareRun r{0, 2, 1, "norebind", 1, 61, std::nullopt};
  p.on(run::CompareRunStarting{r});
  p.on(run::MachineBooting{"guest"});
  r.done = 1;
  p.on(run::CompareRunEnded{r, "0002", Verdict::fail, 16.5});
  EXPECT_EQ(err.str(),
            "\rrun 1 of 2  norebind#1  starting  elapsed 1m01s\033[K"
            "\rrun 1 of 2  norebind#1  guest: booting  elapsed 1m01s\033[K"
            "\rrun 1 of 2  norebind#1  fail in 16.5 s (run 0002)  elapsed 1m01s\033[K\n");
}

TEST(StatusPrinter, ABuildRedrawsItsProgressOnATerminalAndEndsTheLineWhenReady) {
  std::ostringstream out, err;
  StatusPrinter p(out, err, true);
  p.on(kernel::KernelBuildStarted{"baseline", "e098338a", true});
  p.on(kernel::KernelBuildProgress{"baseline", 10, 200, "CC", "mm/mempolicy.o", 130});
  p.on(kernel::KernelReady{"baseline", "e098338a", false});
  EXPECT_EQ(err.str(),
            "  building baseline (key e098338a, cold)\n"
            "\r  building baseline [--------------]   5%  CC mm/mempolicy.o  2m10s\033[K\n"
            "  baseline: built (key e098338a)\n");
}

TEST(StatusPrinter, ABuildInALogIsQuietUntilThirtySecondsPassed) {
  std::ostringstream out, err;
  StatusPrinter p(out, err, false);
  p.on(kernel::KernelBuildProgress{"baseline", 10, std::nullopt, "CC", "mm/mempolicy.o", 1});
  p.on(kernel::KernelReady{"baseline", "e098338a", true});
  EXPECT_EQ(err.str(), "  baseline: cached (key e098338a)\n");
}

TEST(StatusPrinter, AReprosRunsAreItsResultOnStdout) {
  std::ostringstream out, err;
  StatusPrinter p(out, err, false);
  p.on(run::ReproRunEnded{1, 2, "0007", Verdict::hang, true, 33.4,
                          "guest: kernel hung task: INFO: task hung"});
  p.on(run::ReproRunEnded{2, 2, "0008", Verdict::pass, false, std::nullopt, ""});
  EXPECT_EQ(
      out.str(),
      "repro 1 of 2: run 0007 hang (reproduced) after 33.4 s: guest: kernel hung task: INFO: task hung\n"
      "repro 2 of 2: run 0008 pass (not reproduced)\n");
}

TEST(StatusPrinter, AnInterruptSaysWhichSignal) {
  std::ostringstream out, err;
  StatusPrinter p(out, err, false);
  p.on(run::RunInterrupted{SIGINT});
  EXPECT_EQ(err.str(), "  interrupted by Interrupt: stopping every VM\n");
}

}  // namespace
}  // namespace numalab::cli
