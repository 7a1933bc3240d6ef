// patches/swap-nfs-no-memalloc reopens the 2007 swap-over-network problem: the client's swap
// socket drops every packet received into the memory reserves, so once reclaim has driven free
// memory into them the server's replies to swap-out writes are thrown away.
//
// Two tests. On e1000e (lab/swap-nfs-deadlock.toml as it is) the two kernels differ where the 2007
// series did: the series' client drops replies (TcpExt PFMemallocDrop) and the baseline's takes
// them; both get every page back. On virtio-net with larger reserves the client deadlocks for good
// (on the baseline too: virtio-net's receive ring never refills from the reserves), and the host
// must call that a hang by itself (the hung-task detector does not see it: reclaim throttling and
// RPC waits sleep killably) and keep the evidence before it stops QEMU.

#include <iostream>

#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

// A hang is decided 60-115 s into a run on a quiet host, a pass takes about 100 s.
constexpr int k_max_runs = 4;

// lab/swap-nfs-deadlock.toml, its series paths absolute.
std::string deadlock_lab() {
  std::string lab = slurp(std::filesystem::path(NUMALAB_SOURCE_DIR) / "lab/swap-nfs-deadlock.toml");
  const std::string key = "series = \"";
  for (auto at = lab.find(key + "patches/"); at != std::string::npos; at = lab.find(key + "patches/", at + 1))
    lab.insert(at + key.size(), std::string(NUMALAB_SOURCE_DIR) + "/");
  return lab;
}

// `from` replaced by `to` in text, which must contain it once.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos || text.find(from, at + 1) != std::string::npos) {
    ADD_FAILURE() << "the lab does not have \"" << from << "\" once:\n" << text;
    return text;
  }
  return text.replace(at, from.size(), to);
}

// The deadlock lab on virtio-net with the client's reserves at 2048 kB, where the no-memalloc
// client hung in 5 of 6 runs in session 5 (and the baseline client in 2 of 2).
std::string virtio_deadlock_lab() {
  std::string lab = replaced(deadlock_lab(), "nic = \"e1000e\"", "nic = \"virtio-net\"");
  return replaced(lab, "\"sysctl.vm.min_free_kbytes=512\"", "\"sysctl.vm.min_free_kbytes=2048\"");
}

double drops_of(const Invocation& inv) {
  for (const auto& w : inv.summary["workloads"]) {
    if (w["name"] != "swap-nfs") continue;
    if (w["metrics"].contains("tcp_pfmemalloc_drops")) return w["metrics"]["tcp_pfmemalloc_drops"]["value"];
    const auto& series = w["series"]["tcp_pfmemalloc_drops"];  // a hung run has no metrics
    if (series.size() >= 2) return series.back()[1].get<double>() - series.front()[1].get<double>();
  }
  return -1;
}

class SwapNfsDeadlock : public NfsLabFixture {
 protected:
  // A run takes 1-3 minutes on a quiet host and several times that beside other guests.
  Invocation run_slow(const std::filesystem::path& lab, std::vector<std::string> extra = {}) {
    return run(lab, std::move(extra), std::chrono::seconds(900));
  }
  void build_kernels() {
    auto build = start({"build", source("lab/swap-nfs-deadlock.toml").string()});
    auto built = finish(build, std::chrono::seconds(2300));
    ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  }
};

TEST_F(SwapNfsDeadlock, NoMemallocClientIsCaughtAsAHang) {
  build_kernels();
  if (IsSkipped() || HasFatalFailure()) return;
  const std::string text = virtio_deadlock_lab();
  ASSERT_NE(text.find("min_free_kbytes=2048"), std::string::npos) << text;
  ASSERT_NE(text.find("series = \"" + std::string(NUMALAB_SOURCE_DIR) + "/patches/swap-nfs-no-memalloc\""),
            std::string::npos) << text;
  const auto lab = write_lab("swap-nfs-deadlock.toml", text);
  Invocation hung;
  int runs = 0;
  std::string outcomes;
  while (runs < k_max_runs) {
    ++runs;
    auto inv = run_slow(lab);
    // The workload may pass or be ended by the OOM killer (which breaks the deadlock); it must
    // never lose a page or leave the lab broken.
    ASSERT_TRUE(inv.summary.is_object()) << inv.out << inv.err;
    const std::string verdict = inv.summary["verdict"];
    outcomes += (outcomes.empty() ? "" : ", ") + verdict;
    ASSERT_NE(verdict, "error") << inv.summary["reason"] << "\n" << inv.out << inv.err;
    ASSERT_NE(verdict, "crash") << inv.summary["reason"];
    for (const auto& w : inv.summary["workloads"]) {
      if (w["name"] == "swap-nfs" && w["metrics"].contains("pages_bad")) {
        ASSERT_EQ(w["metrics"]["pages_bad"]["value"], 0.0) << w["detail"];
      }
    }
    if (verdict == "hang") {
      hung = std::move(inv);
      break;
    }
  }
  std::cout << "[ measured ] swap-nfs-no-memalloc: " << (hung.summary.is_object() ? 1 : 0) << " hang in " << runs
            << " runs (" << outcomes << ")\n";
  RecordProperty("runs", runs);
  RecordProperty("outcomes", outcomes);
  ASSERT_TRUE(hung.summary.is_object()) << "no hang in " << k_max_runs << " runs: " << outcomes;

  EXPECT_EQ(hung.exit_code, 4) << hung.out << hung.err;
  const std::string reason = hung.summary["reason"];
  EXPECT_NE(reason.find("frozen:"), std::string::npos) << "the reason lists what stopped moving: " << reason;
  EXPECT_NE(reason.find("pages_done at "), std::string::npos) << reason;
  const auto client = std::filesystem::path(hung.summary["run_dir"].get<std::string>()) / "client";
  // The evidence, taken before QEMU was stopped: sysrq-w's blocked tasks on the console, and the
  // dump's analysis, which must see the tasks sysrq-w saw (a QEMU dump of a two-node guest reads
  // node 1's memory as zeros unless the analysis repairs it).
  const std::string console = slurp(client / "console.log");
  const auto w = console.find("sysrq: Show Blocked State");
  ASSERT_NE(w, std::string::npos) << "no sysrq-w in console.log";
  const auto w_end = console.find("[numalab: sysrq-l", w);
  int blocked_by_sysrq = 0;
  for (auto at = console.find("state:D", w); at != std::string::npos && at < w_end; at = console.find("state:D", at + 1))
    ++blocked_by_sysrq;
  const std::string report = slurp(client / "hang-report.txt");
  ASSERT_FALSE(report.empty()) << slurp(client / "capture.json");
  const std::string heading = "Tasks in uninterruptible sleep (D) (";
  const auto at = report.find(heading);
  ASSERT_NE(at, std::string::npos) << report;
  const int blocked_in_dump = std::stoi(report.substr(at + heading.size()));
  std::cout << "[ measured ] blocked tasks: " << blocked_by_sysrq << " by sysrq-w, " << blocked_in_dump
            << " in the dump\n";
  if (blocked_by_sysrq > 0) {
    EXPECT_GT(blocked_in_dump, 0) << "sysrq-w saw blocked tasks, the dump none:\n" << report;
  }
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
}

// The series' difference on a NIC whose receive path can use the reserves: its client drops
// replies received there and recovers; the baseline's client takes them. Neither loses a page.
TEST_F(SwapNfsDeadlock, NoMemallocClientDropsWhatTheBaselineTakesIn) {
  build_kernels();
  if (IsSkipped() || HasFatalFailure()) return;
  const auto lab = write_lab("swap-nfs-deadlock.toml", deadlock_lab());
  auto series = run_slow(lab, {"--no-dump"});
  ASSERT_TRUE(series.summary.is_object()) << series.out << series.err;
  auto baseline = run_slow(lab, {"--kernel", "baseline", "--no-dump"});
  ASSERT_TRUE(baseline.summary.is_object()) << baseline.out << baseline.err;
  for (const auto* inv : {&series, &baseline}) {
    ASSERT_NE(inv->summary["verdict"], "error") << inv->summary["reason"] << inv->out << inv->err;
    for (const auto& w : inv->summary["workloads"]) {
      if (w["name"] == "swap-nfs" && w["metrics"].contains("pages_bad")) {
        EXPECT_EQ(w["metrics"]["pages_bad"]["value"], 0.0) << w["detail"];
      }
    }
  }
  const double dropped = drops_of(series);
  std::cout << "[ measured ] replies dropped at the swap socket: " << dropped << " (series, "
            << series.summary["verdict"] << "), " << drops_of(baseline) << " (baseline, "
            << baseline.summary["verdict"] << ")\n";
  EXPECT_GT(dropped, 0.0) << "the series' client never received into the reserves: " << series.out;
  EXPECT_EQ(baseline.summary["verdict"], "pass") << baseline.summary["reason"];
  EXPECT_EQ(drops_of(baseline), 0.0) << "a SOCK_MEMALLOC swap socket takes what the reserves received";
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
}

}  // namespace
}  // namespace numalab::itest
