// Boots the example labs in real QEMU with Debian's kernel and the real agent, and checks from the
// outside (exit status, JSON summary) that the guest saw exactly the declared topology.

#include "lab/lab.hpp"
#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

class TopologyBoot : public NumalabFixture {
 protected:
  // Runs an example lab and checks the guest's topology against the lab file, value by value.
  void expect_lab_seen_exactly(const std::string& rel) {
    auto lab = lab::parse_lab_file(source(rel));
    ASSERT_TRUE(lab) << lab.error().message;
    auto inv = run(source(rel));
    ASSERT_EQ(inv.exit_code, 0) << inv.out << inv.err;
    ASSERT_TRUE(inv.summary.is_object()) << inv.err;
    EXPECT_EQ(inv.summary["verdict"], "pass");
    const auto& m = inv.summary["machines"][0];
    EXPECT_TRUE(m["accel"] == "tcg" || m["accel"] == "kvm");
    EXPECT_GT(m["boot_seconds"].get<double>(), 0.0);
    EXPECT_EQ(m["kernel"]["sha256"].get<std::string>().size(), 64u);
    const auto seen = m["topology_seen"].get<model::Topology>();
    const auto declared = lab->machines[0].topology();
    ASSERT_EQ(seen.nodes.size(), declared.nodes.size());
    for (std::size_t i = 0; i < seen.nodes.size(); ++i) {
      EXPECT_EQ(seen.nodes[i].id, declared.nodes[i].id);
      EXPECT_EQ(seen.nodes[i].cpus, declared.nodes[i].cpus) << "node " << i;
      if (declared.nodes[i].memory_kb == 0) {
        EXPECT_EQ(seen.nodes[i].memory_kb, 0u) << "node " << i << " is memory-less";
      } else {
        EXPECT_LE(seen.nodes[i].memory_kb, declared.nodes[i].memory_kb) << "node " << i;
        EXPECT_GE(seen.nodes[i].memory_kb, declared.nodes[i].memory_kb * 8 / 10) << "node " << i;
      }
    }
    EXPECT_EQ(seen.distances, declared.distances);
    // The topology check first (the default lab also runs a short numa02 after it).
    ASSERT_GE(inv.summary["workloads"].size(), 1u);
    EXPECT_EQ(inv.summary["workloads"][0]["name"], "topology-check");
    for (const auto& w : inv.summary["workloads"])
      EXPECT_EQ(w["verdict"], "pass") << w["name"] << ": " << w["detail"];
    const auto run_dir = std::filesystem::path(inv.summary["run_dir"].get<std::string>());
    EXPECT_NE(slurp(run_dir / "guest" / "console.log").find("Linux version"), std::string::npos);
    EXPECT_EQ(std::filesystem::status(run_dir).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_all);
  }
};

TEST_F(TopologyBoot, DefaultTwoNodeLab) { expect_lab_seen_exactly("lab/default.toml"); }
TEST_F(TopologyBoot, FourNodeAsymmetricDistances) { expect_lab_seen_exactly("lab/numa4-asym.toml"); }
TEST_F(TopologyBoot, MemorylessNode) { expect_lab_seen_exactly("lab/numa3-memless.toml"); }
TEST_F(TopologyBoot, CpulessNode) { expect_lab_seen_exactly("lab/numa3-cpuless.toml"); }

// numa=off makes the kernel ignore the firmware's NUMA tables: the guest sees one node, and
// topology-check must fail with a diff that says so.
TEST_F(TopologyBoot, MismatchFailsWithADiff) {
  auto lab = write_lab("numa-off.toml", debian_guest_lab("numa-off", k_two_small_nodes,
                                                         "[[workload]]\nname = \"topology-check\"\n",
                                                         "cmdline = [\"numa=off\"]\n"));
  auto inv = run(lab);
  EXPECT_EQ(inv.exit_code, 1) << inv.out << inv.err;
  EXPECT_EQ(inv.summary["verdict"], "fail");
  const auto& w = inv.summary["workloads"][0];
  EXPECT_EQ(w["verdict"], "fail");
  EXPECT_NE(w["detail"].get<std::string>().find("node 1"), std::string::npos) << w["detail"];
}

// A kernel given as a path: its release is read from the bzImage header and its modules are found
// beside it (DIR/vmlinuz, DIR/lib/modules/RELEASE), as in an unpacked Debian package.
TEST_F(TopologyBoot, KernelGivenAsAPathFindsItsModules) {
  const auto image = std::filesystem::canonical(util::cache_dir() / "kernels/debian/current/vmlinuz");
  auto inv = run(source("lab/default.toml"), {"--kernel", image.string()});
  ASSERT_EQ(inv.exit_code, 0) << inv.out << inv.err;
  const auto& kernel = inv.summary["machines"][0]["kernel"];
  EXPECT_EQ(kernel["name"], image.string());
  EXPECT_TRUE(kernel["release"].get<std::string>().starts_with("6.1.")) << kernel;
  EXPECT_EQ(inv.summary["workloads"][0]["verdict"], "pass");
}

TEST_F(TopologyBoot, RunIsStoredAndReadBack) {
  auto inv = run(source("lab/default.toml"));
  ASSERT_EQ(inv.exit_code, 0) << inv.err;
  const std::string id = inv.summary["run_id"];
  auto list = start({"list", "--results", results().string()});
  auto listed = finish(list);
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.out.find(id), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("pass"), std::string::npos) << listed.out;
  auto show = start({"show", id, "--json", "--results", results().string()});
  auto shown = finish(show);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  auto j = nlohmann::json::parse(shown.out, nullptr, false);
  EXPECT_EQ(j["run_id"], id);
  EXPECT_EQ(j["machines"][0]["topology_seen"], inv.summary["machines"][0]["topology_seen"]);
  EXPECT_EQ(j["workloads"], inv.summary["workloads"]);
}

}  // namespace
}  // namespace numalab::itest
