// Swap over NFS between two real guests on the lab kernel: a server machine running knfsd
// (nfs-server, Debian's nfs-utils in its image) and a client that boots once the server is ready and
// runs swap-nfs: its hog touches more memory than the client has, so its pages make the round trip
// to the server's tmpfs and back, and every one must come back intact. lab/swap-nfs.toml is the
// same lab with more pressure and NFSv4.2 as well; this one is cut to the smallest client that
// swaps, since every page costs milliseconds under TCG.

#include "image/nfs_userland_paths.hpp"
#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

// The kernel's series is an absolute path: the lab is written to the test's temporary folder.
std::string small_lab() {
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
)";
}

class SwapNfs : public LabKernelFixture {
 protected:
  void SetUp() override {
    LabKernelFixture::SetUp();
    if (IsSkipped()) return;
    if (!std::filesystem::exists(util::cache_dir() / image::nfs_userland::k_cache_root / "usr/sbin/rpc.nfsd"))
      GTEST_SKIP() << "the NFS server's userland is not in numalab's cache: run scripts/fetch-nfs-userland "
                      "(make test does)";
  }
};

TEST_F(SwapNfs, BaselineSwapsEveryPageBack) {
  auto child = start({"run", write_lab("swap-nfs.toml", small_lab()).string(), "--results",
                      results().string(), "--json", (tmp() / "summary.json").string()});
  auto inv = finish(child, std::chrono::seconds(600));
  ASSERT_TRUE(inv.summary.is_object()) << inv.out << inv.err;
  ASSERT_EQ(inv.exit_code, 0) << inv.out << inv.err;
  const nlohmann::json* swap = nullptr;
  for (const auto& w : inv.summary["workloads"])
    if (w["name"] == "swap-nfs") swap = &w;
  ASSERT_NE(swap, nullptr) << inv.out;
  EXPECT_EQ((*swap)["machine"], "client");
  ASSERT_EQ((*swap)["verdict"], "pass") << (*swap)["detail"];
  const auto& m = (*swap)["metrics"];
  auto value = [&](const char* name) { return m.at(name).at("value").get<double>(); };
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

}  // namespace
}  // namespace numalab::itest
