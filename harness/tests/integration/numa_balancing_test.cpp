// The NUMA-balancing workloads in a real guest: Debian's kernel in the default 2-node topology,
// short runs of numa02 hard-bind and inverse-bind and one unbound numa01, checked from the outside:
// verdicts, metrics present and plausible, locality samples in the agent's transcript.

#include <map>
#include <sstream>

#include "numalab_runner.hpp"

namespace numalab::itest {
namespace {

constexpr const char* k_workloads = R"(
[[workload]]
name = "numa02"
variant = "hard-bind"
memory = "128M"
duration = "6s"
[[workload]]
name = "numa02"
variant = "inverse-bind"
memory = "128M"
duration = "6s"
[[workload]]
name = "numa01"
memory = "128M"
duration = "6s"
)";

constexpr const char* k_vmstat_counters[] = {"numa_pte_updates",    "numa_huge_pte_updates",
                                             "numa_hint_faults",    "numa_hint_faults_local",
                                             "numa_pages_migrated", "pgmigrate_success",
                                             "pgmigrate_fail",      "numa_hit",
                                             "numa_miss",           "numa_local",
                                             "numa_other"};

double value(const nlohmann::json& workload, const std::string& metric) {
  const auto& m = workload["metrics"][metric];
  EXPECT_TRUE(m.is_object()) << workload["name"] << " has no metric " << metric;
  EXPECT_FALSE(m.value("absent", false)) << workload["name"] << ": " << metric << " is absent";
  return m.is_object() && m["value"].is_number() ? m["value"].get<double>() : -1.0;
}

// The locality_pct samples each workload sent, from the agent's transcript (RUN/guest/agent.jsonl).
std::map<std::string, int> locality_samples(const std::filesystem::path& run_dir) {
  std::map<std::string, int> count;
  std::istringstream in(slurp(run_dir / "guest" / "agent.jsonl"));
  for (std::string text; std::getline(in, text);) {
    auto record = nlohmann::json::parse(text, nullptr, false);
    if (!record.is_object() || !record["line"].is_string()) continue;
    auto message = nlohmann::json::parse(record["line"].get<std::string>(), nullptr, false);
    if (message.is_object() && message["t"] == "sample" && message["name"] == "locality_pct" &&
        message["value"].is_number())
      ++count[message["workload"].get<std::string>()];
  }
  return count;
}

class NumaBalancing : public NumalabFixture {};

TEST_F(NumaBalancing, BoundVariantsBracketTheUnboundRun) {
  auto inv = run(
      write_lab("numa-balancing.toml", debian_guest_lab("numa-balancing-short", k_two_nodes, k_workloads)));
  ASSERT_EQ(inv.exit_code, 0) << inv.out << inv.err;
  ASSERT_TRUE(inv.summary.is_object()) << inv.err;
  EXPECT_EQ(inv.summary["verdict"], "pass");
  const auto& w = inv.summary["workloads"];
  ASSERT_EQ(w.size(), 3u);
  const auto& hard = w[0];
  const auto& inverse = w[1];
  const auto& unbound = w[2];
  for (const auto& x : w) {
    EXPECT_EQ(x["verdict"], "pass") << x["name"] << ": " << x["detail"];
    double elapsed = value(x, "elapsed_s");
    EXPECT_GT(elapsed, 6.0) << x["name"];
    EXPECT_LT(elapsed, 60.0) << x["name"];
    EXPECT_GE(value(x, "user_s"), 1.0) << x["name"] << ": four threads wrote for 6 s";
    EXPECT_GE(value(x, "system_s"), 0.0);
    EXPECT_GE(value(x, "kthreads_cpu_s"), 0.0);
    EXPECT_GT(value(x, "write_mib_per_s"), 0.0);
    EXPECT_EQ(value(x, "threads"), 4.0);
    EXPECT_EQ(value(x, "memory_mib"), 128.0);
    EXPECT_EQ(value(x, "numa_balancing_enabled"), 1.0) << "Debian's kernel balances by default";
    // Debian's kernel has every counter: present, never absent. (A kernel without one sends it
    // with "absent": true, which value() would report.)
    for (const char* c : k_vmstat_counters) EXPECT_GE(value(x, c), 0.0) << x["name"] << " " << c;
    EXPECT_GE(value(x, "numa_hit"), 1.0) << "the workers allocated memory";
    // PSI is on in Debian's kernel.
    double avg10 = value(x, "psi_memory_some_avg10_max");
    EXPECT_GE(avg10, 0.0);
    EXPECT_LE(avg10, 100.0);
    EXPECT_GE(value(x, "psi_memory_some_s"), 0.0);
    EXPECT_GE(value(x, "psi_memory_full_s"), 0.0);
  }

  double hard_pct = value(hard, "locality_pct");
  double inverse_pct = value(inverse, "locality_pct");
  EXPECT_GE(hard_pct, 90.0);
  EXPECT_LE(inverse_pct, 10.0);
  EXPECT_GT(hard_pct, inverse_pct);
  EXPECT_EQ(value(hard, "reached_90pct_locality"), 1.0);
  EXPECT_LT(value(hard, "time_to_90pct_locality_s"), 2.0) << "bound memory is local from the start";
  EXPECT_EQ(value(inverse, "reached_90pct_locality"), 0.0);
  EXPECT_TRUE(inverse["metrics"]["time_to_90pct_locality_s"].value("absent", false))
      << "never reached: absent, not a made-up time";
  double unbound_pct = value(unbound, "locality_pct");
  EXPECT_GE(unbound_pct, 0.0);
  EXPECT_LE(unbound_pct, 100.0);
  // Unbound, the workers start with their memory on node 0 and half of them on node 1: the hinting
  // faults of NUMA balancing must show.
  EXPECT_GT(value(unbound, "numa_hint_faults"), 0.0);
  EXPECT_GT(value(unbound, "numa_pte_updates"), 0.0);

  auto samples = locality_samples(inv.summary["run_dir"].get<std::string>());
  EXPECT_GE(samples["numa02"], 10) << "two numa02 runs of 6 s, a sample a second";
  EXPECT_GE(samples["numa01"], 5);
}

}  // namespace
}  // namespace numalab::itest
