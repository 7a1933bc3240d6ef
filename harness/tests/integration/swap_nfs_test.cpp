// Swap over NFS between two real guests on the lab kernel: a server machine running knfsd
// (nfs-server, Debian's nfs-utils in its image) and a client that boots once the server is ready and
// runs swap-nfs: its hog touches more memory than the client has, so its pages make the round trip
// to the server's tmpfs and back, and every one must come back intact. lab/swap-nfs.toml is the
// same lab with more pressure and NFSv4.2 as well; this one is cut to the smallest client that
// swaps, since every page costs milliseconds under TCG.

#include <iostream>
#include <optional>

#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

// The kernel's series is an absolute path: the lab is written to the test's temporary folder.
// `extra` is appended (a [[fault]]).
std::string small_lab(const std::string& extra = "") {
  return R"(name = "swap-nfs-small"

[kernel.baseline]
base = "debian-6.1"
series = ")" +
         (std::filesystem::path(NUMALAB_SOURCE_DIR) / "patches/baseline").string() +
         R"("
config = ["numa-lab"]

[[machine]]
name = "server"
kernel = "baseline"
  [[machine.node]]
  cpus = [0]
  memory = "384M"

[[machine]]
name = "client"
kernel = "baseline"
  [[machine.node]]
  cpus = [0]
  memory = "48M"
  [[machine.node]]
  cpus = [1]
  memory = "48M"

[[network]]
name = "storage"
machines = ["server", "client"]
nic = "e1000e"

[[workload]]
name = "nfs-server"
machine = "server"
size = "256M"

[[workload]]
name = "swap-nfs"
machine = "client"
server = "server"
nfs_version = "3"
ratio = 1.2
)" + extra;
}

const nlohmann::json& workload(const Invocation& inv, const std::string& name) {
  for (const auto& w : inv.summary["workloads"])
    if (w["name"] == name) return w;
  static const nlohmann::json none;
  ADD_FAILURE() << "no workload " << name << " in " << inv.out;
  return none;
}

double metric(const nlohmann::json& w, const char* name) {
  return w.at("metrics").at(name).at("value").get<double>();
}

// The 6.1 baseline client itself fails this lab now and then, and the tests are not about that:
// - on virtio-net it deadlocks (3 of 8 runs on a loaded host, 2 of 2 in one CI run: every reclaimer
//   in mempool_alloc <- __swap_writepage, the virtio-net receive refill among them; see
//   patches/swap-nfs-no-memalloc/README.md), so the lab uses e1000e, whose receive path takes swap
//   replies in from the memory reserves (0 hangs in 10 runs);
// - on e1000e the kernel's OOM killer sometimes kills the hog while tens of MiB are still under
//   writeback to the server (1 run in 10 on a loaded host).
// A run that ends in one of these (a hang the host decided from frozen progress counters, or the
// hog killed with "Out of memory: Killed process" on the client's console) is reported and run
// again, up to three runs in all; any other outcome counts at once. With both at most 1 in 5,
// three in a row is 1 in 125 at worst.
class SwapNfsLab : public NfsLabFixture {
 protected:
  static constexpr int k_attempts = 3;

  // Why the run ended in the baseline kernel's own failure, or "" when it did not.
  std::string kernel_failure(const Invocation& inv) {
    if (!inv.summary.is_object()) return "";
    const auto reason = inv.summary.value("reason", std::string());
    if (inv.summary["verdict"] == "hang" && reason.find("frozen:") != std::string::npos)
      return "the client deadlocked: " + reason;
    if (inv.summary["verdict"] != "fail") return "";
    const auto console =
        slurp(results() / "runs" / inv.summary["run_id"].get<std::string>() / "client" / "console.log");
    if (reason.find("hog killed by signal 9") != std::string::npos &&
        console.find("Out of memory: Killed process") != std::string::npos)
      return "the client's OOM killer killed the hog: " + reason;
    return "";
  }

  Invocation run_lab(const std::string& name, const std::string& text) {
    const auto lab = write_lab(name, text);
    Invocation inv;
    for (int attempt = 1; attempt <= k_attempts; ++attempt) {
      auto child = start({"run", lab.string(), "--results", results().string(), "--json",
                          (tmp() / "summary.json").string(), "--no-dump"});
      inv = finish(child, std::chrono::seconds(600));
      const auto why = kernel_failure(inv);
      if (why.empty() || attempt == k_attempts) break;
      std::cout << "[ retried  ] run " << inv.summary["run_id"].get<std::string>() << ": " << why
                << "; running the lab again\n";
      RecordProperty("baseline_failure_retried_" + std::to_string(attempt), why);
    }
    return inv;
  }
};

using SwapNfs = SwapNfsLab;

TEST_F(SwapNfs, BaselineSwapsEveryPageBack) {
  auto inv = run_lab("swap-nfs.toml", small_lab());
  ASSERT_TRUE(inv.summary.is_object()) << inv.out << inv.err;
  ASSERT_EQ(inv.exit_code, 0) << inv.out << inv.err;
  const auto& swap = workload(inv, "swap-nfs");
  EXPECT_EQ(swap["machine"], "client");
  ASSERT_EQ(swap["verdict"], "pass") << swap["detail"];
  auto value = [&](const char* name) { return metric(swap, name); };
  EXPECT_GT(value("pswpout"), 0.0) << "the hog's pages went out to the server";
  EXPECT_GT(value("pswpin"), 0.0) << "and came back";
  EXPECT_EQ(value("pages_bad"), 0.0);
  EXPECT_EQ(value("pages_verified"), value("hog_pages")) << "one pass: every page read back and checked";
  EXPECT_GT(value("hog_mib"), 0.0);
  EXPECT_GT(value("swap_out_mib_per_s"), 0.0);
  EXPECT_GT(value("swap_in_mib_per_s"), 0.0);
  EXPECT_GT(value("nfs_rpc_calls"), 0.0) << "swap I/O is NFS RPCs, not a loop device";
  EXPECT_GE(value("swapoff_s"), 0.0);
  EXPECT_GT(value("pages_verified_after_swapoff"), 0.0) << "swapoff pulled the kept pages back intact";
}

// The server stops (QMP stop) for 5 s while the client swaps to it: the client's RPCs wait, the
// server comes back, and the hog still gets every page back intact. The pause comes 2 s after the
// client's first swap-out whatever the machine's speed, and the hog makes two passes so that it is
// still at work then. The fault is in the summary with the time from its end to the first swap-in
// after it.
TEST_F(SwapNfs, FiveSecondServerPauseRecoversWithEveryPage) {
  const std::string pause = R"(passes = 2

[[fault]]
kind = "pause"
machine = "server"
after = "pswpout"
at = "2s"
duration = "5s"
recover_within = "4m"
)";
  auto inv = run_lab("swap-nfs-pause.toml", small_lab(pause));
  ASSERT_TRUE(inv.summary.is_object()) << inv.out << inv.err;
  EXPECT_EQ(inv.exit_code, 0) << inv.out << inv.err;
  const auto& swap = workload(inv, "swap-nfs");
  ASSERT_EQ(swap["verdict"], "pass") << swap["detail"];
  EXPECT_EQ(metric(swap, "pages_bad"), 0.0);
  EXPECT_EQ(metric(swap, "pages_verified"), 2 * metric(swap, "hog_pages"))
      << "two passes, every page checked";

  ASSERT_EQ(inv.summary["faults"].size(), 1u) << inv.summary.dump(1);
  const auto& fault = inv.summary["faults"][0];
  EXPECT_EQ(fault["kind"], "pause");
  EXPECT_EQ(fault["machine"], "server");
  EXPECT_EQ(fault["after"], "pswpout");
  ASSERT_TRUE(fault["applied_at_s"].is_number()) << fault["detail"];
  ASSERT_TRUE(fault["ended_at_s"].is_number()) << fault["detail"];
  EXPECT_NEAR(fault["ended_at_s"].get<double>() - fault["applied_at_s"].get<double>(), 5.0, 1.0);
  ASSERT_TRUE(fault["first_progress_after_s"].is_number()) << fault.dump(1);
  // The pause came while the client swapped: pages had gone out before it (the workload's series
  // and the faults share their start within a second), and the client's swap-ins went on after it.
  const double applied = fault["applied_at_s"].get<double>();
  const auto& pswpout = swap["series"]["progress.pswpout"];
  ASSERT_FALSE(pswpout.empty()) << swap["series"].dump();
  double out_before = 0;
  for (const auto& point : pswpout)
    if (point[0].get<double>() < applied - 2)
      out_before = point[1].get<double>() - pswpout[0][1].get<double>();
  EXPECT_GT(out_before, 0.0) << "no page had gone out when the server paused at +" << applied << " s";
  EXPECT_LT(fault["ended_at_s"].get<double>(), swap["elapsed_s"].get<double>())
      << "the pause ended after the workload";
  std::optional<double> swapin_after;
  for (const auto& c : fault["resumed"])
    if (c["machine"] == "client" && c["counter"] == "pswpin") swapin_after = c["after_s"].get<double>();
  ASSERT_TRUE(swapin_after.has_value()) << "no swap-in after the pause: " << fault.dump(1);
  EXPECT_GE(*swapin_after, fault["first_progress_after_s"].get<double>());
  std::cout << "[ measured ] first swap-in " << *swapin_after << " s after the server's pause ended; "
            << "first progress " << fault["first_progress_after_s"] << " s\n";
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
}

// net_load: while the hog swaps, the client receives a TCP stream from the server machine on an
// ordinary socket, traffic that competes with the swap socket for memory. The swap still gets
// every page back, and both ends count the stream.
TEST_F(SwapNfs, NetworkLoadBesideTheSwapIsReceived) {
  auto inv = run_lab("swap-nfs-load.toml", small_lab("net_load = true\n"));
  ASSERT_TRUE(inv.summary.is_object()) << inv.out << inv.err;
  EXPECT_EQ(inv.exit_code, 0) << inv.out << inv.err;
  const auto& swap = workload(inv, "swap-nfs");
  ASSERT_EQ(swap["verdict"], "pass") << swap["detail"];
  EXPECT_EQ(metric(swap, "pages_bad"), 0.0);
  EXPECT_EQ(metric(swap, "pages_verified"), metric(swap, "hog_pages"));
  const double received = metric(swap, "net_load_mib");
  EXPECT_GT(received, 1.0) << "the stream ran while the hog did";
  EXPECT_GT(metric(swap, "net_load_mib_per_s"), 0.0);
  const auto& server = workload(inv, "nfs-server");
  EXPECT_EQ(metric(server, "net_load_connections"), 1.0);
  EXPECT_GE(metric(server, "net_load_sent_mib"), received)
      << "the server sent at least what the client took in";
  std::cout << "[ measured ] network load " << received << " MiB at " << metric(swap, "net_load_mib_per_s")
            << " MiB/s beside swap-out " << metric(swap, "swap_out_mib_per_s") << " MiB/s, swap-in "
            << metric(swap, "swap_in_mib_per_s") << " MiB/s\n";
  EXPECT_TRUE(processes_mentioning(tmp().string()).empty());
}

}  // namespace
}  // namespace numalab::itest
