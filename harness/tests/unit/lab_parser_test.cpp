// The lab file parser: the example labs the project ships, good labs of each shape, and every kind
// of bad input, each checked for the file name, the line and the phrase that says what to change.
#include <gtest/gtest.h>

#include "lab/lab.hpp"
#include "lab_test_support.hpp"

namespace numalab::lab {
namespace {

using namespace numalab::lab::test;

// --- The labs the project ships -------------------------------------------------------------

TEST(LabExamples, DefaultIsTwoNodesOfTwoCpus) {
  Lab lab = parse_example("default.toml");
  EXPECT_EQ(lab.name, "numa2");
  ASSERT_EQ(lab.machines.size(), 1u);
  const Machine& guest = lab.machines[0];
  EXPECT_EQ(guest.name, "guest");
  EXPECT_EQ(guest.kernel, "debian");
  EXPECT_EQ(guest.cpu_count(), 4);
  EXPECT_EQ(guest.memory_bytes(), 1024ull << 20);
  EXPECT_FALSE(guest.distances_declared);
  model::Topology expected{{{0, {0, 1}, 512 * 1024}, {1, {2, 3}, 512 * 1024}}, {{10, 20}, {20, 10}}};
  EXPECT_EQ(guest.topology(), expected);
  ASSERT_EQ(lab.workloads.size(), 3u);
  EXPECT_EQ(lab.workloads[0].name, "topology-check");
  EXPECT_EQ(lab.workloads[0].machine, "guest");
  EXPECT_EQ(lab.workloads[1].name, "cpuset-rebind");
  EXPECT_EQ(lab.workloads[2].name, "numa02");
  // The kernels make demo compares.
  EXPECT_TRUE(lab.kernels.contains("baseline"));
  EXPECT_TRUE(lab.kernels.contains("cpuset-no-mpol-rebind"));
  EXPECT_EQ(lab.find_machine("guest"), &guest);
  EXPECT_EQ(lab.find_machine("host"), nullptr);
}

TEST(LabExamples, Numa4AsymHasItsOwnDistances) {
  Lab lab = parse_example("numa4-asym.toml");
  const Machine& guest = lab.machines.at(0);
  EXPECT_EQ(guest.nodes.size(), 4u);
  EXPECT_TRUE(guest.distances_declared);
  model::NodeDistanceMatrix expected = {
      {10, 16, 22, 28}, {16, 10, 28, 22}, {22, 28, 10, 16}, {28, 22, 16, 10}};
  EXPECT_EQ(guest.distances, expected);
  EXPECT_EQ(guest.cpu_count(), 4);
}

TEST(LabExamples, Numa3MemlessHasAMemoryLessNode) {
  Lab lab = parse_example("numa3-memless.toml");
  const Machine& guest = lab.machines.at(0);
  ASSERT_EQ(guest.nodes.size(), 3u);
  EXPECT_EQ(guest.nodes[1].cpus, std::vector<int>{2});
  EXPECT_EQ(guest.nodes[1].memory_bytes, 0u);
  EXPECT_EQ(guest.distances, (model::NodeDistanceMatrix{{10, 20, 20}, {20, 10, 20}, {20, 20, 10}}));
}

TEST(LabExamples, Numa3CpulessHasACpuLessFarNode) {
  Lab lab = parse_example("numa3-cpuless.toml");
  const Machine& guest = lab.machines.at(0);
  ASSERT_EQ(guest.nodes.size(), 3u);
  EXPECT_TRUE(guest.nodes[2].cpus.empty());
  EXPECT_EQ(guest.nodes[2].memory_bytes, 256u << 20);
  EXPECT_EQ(guest.distances[2][0], 22);
}

TEST(LabExamples, EveryExampleParsesAndFitsATwoCoreTcgHost) {
  int examples = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(NUMALAB_SOURCE_DIR) + "/lab")) {
    if (entry.path().extension() != ".toml") continue;
    ++examples;
    const std::string name = entry.path().filename().string();
    Lab lab = parse_example(name);
    for (const auto& machine : lab.machines) {
      EXPECT_LE(machine.cpu_count(), 4) << name;
      EXPECT_LE(machine.memory_bytes(), 1536ull << 20) << name;
    }
  }
  EXPECT_GE(examples, 5);
}

TEST(WorkloadLabel, AVariantIsPartOfTheName) {
  Lab lab =
      parse_good(with(k_good, "name = \"topology-check\"", "name = \"numa01\"\nvariant = \"hard-bind\""));
  ASSERT_EQ(lab.workloads.size(), 1u);
  EXPECT_EQ(workload_label(lab.workloads[0]), "numa01/hard-bind");
  Workload plain{"numa02", "guest", nlohmann::json::object(), {}};
  EXPECT_EQ(workload_label(plain), "numa02");
}

TEST(LabFile, MissingFileIsBadInput) {
  auto lab = parse_lab_file("/nonexistent/lab.toml");
  ASSERT_FALSE(lab.has_value());
  EXPECT_EQ(lab.error().kind, util::ErrorKind::bad_input);
  EXPECT_NE(lab.error().message.find("/nonexistent/lab.toml"), std::string::npos);
  EXPECT_NE(lab.error().message.find("No such file"), std::string::npos);
}

TEST(SourceLocation, PrintsFileAndLine) {
  EXPECT_EQ((SourceLocation{"lab/a.toml", 14}.to_string()), "lab/a.toml:14");
  EXPECT_EQ((SourceLocation{"lab/a.toml", 0}.to_string()), "lab/a.toml");
}

// --- Good labs ----------------------------------------------------------------------------------

TEST(LabParser, RecordsWhereThingsAreAndDefaults) {
  Lab lab = parse_good(k_good);
  const Machine& guest = lab.machines.at(0);
  EXPECT_EQ(guest.kernel, "debian");  // the default kernel
  EXPECT_EQ(guest.where.to_string(), "lab/test.toml:3");
  EXPECT_EQ(guest.nodes[1].where.line, line_of(k_good, "  [[machine.node]]\n  cpus = [2"));
  EXPECT_EQ(lab.workloads.at(0).machine, "guest");  // the only machine
  EXPECT_TRUE(lab.workloads[0].params.is_object());
  EXPECT_EQ(lab.file, "lab/test.toml");
}

TEST(LabParser, AcceptsCmdlineKernelsAndParams) {
  std::string text = with(k_good, "name = \"guest\"", R"(name = "guest"
kernel = "patched"
cmdline = ["numa_balancing=1", "loglevel=7"])");
  text += R"(
[[workload]]
name = "trigger"
machine = "guest"
action = "hang"

[kernel.patched]
base = { tree = "/src/linux", ref = "v6.1" }
series = "patches/cpuset-no-mpol-rebind"
config = ["numa-lab"]
cmdline = ["numa=on"]
)";
  Lab lab = parse_good(text);
  const Machine& guest = lab.machines.at(0);
  EXPECT_EQ(guest.kernel, "patched");
  EXPECT_EQ(guest.cmdline, (std::vector<std::string>{"numa_balancing=1", "loglevel=7"}));
  const KernelSpec& patched = lab.kernels.at("patched");
  EXPECT_EQ(patched.base_tree, "/src/linux");
  EXPECT_EQ(patched.base_ref, "v6.1");
  EXPECT_EQ(patched.series, "patches/cpuset-no-mpol-rebind");
  EXPECT_EQ(patched.config, std::vector<std::string>{"numa-lab"});
  EXPECT_EQ(lab.workloads.at(1).params, (nlohmann::json{{"action", "hang"}}));
}

TEST(LabParser, AcceptsKernelPaths) {
  for (const char* kernel : {"/boot/vmlinuz-6.1.0-13-amd64", "build/arch/x86/boot/bzImage", "bzImage"})
    EXPECT_EQ(parse_good(with(k_good, "name = \"guest\"",
                              "name = \"guest\"\nkernel = \"" + std::string(kernel) + "\""))
                  .machines.at(0)
                  .kernel,
              kernel);
}

TEST(LabParser, AcceptsIntegerAndUnitSizes) {
  Lab lab = parse_good(with(with(k_good, "\"512M\"", "268435456"), "\"512M\"", "\"1GiB\""));
  EXPECT_EQ(lab.machines.at(0).nodes[0].memory_bytes, 256u << 20);
  EXPECT_EQ(lab.machines.at(0).nodes[1].memory_bytes, 1u << 30);
}

TEST(LabParser, AcceptsAsymmetricDistances) {
  // Not symmetric: QEMU takes each direction as given, so labs may test code that assumes symmetry.
  std::string text =
      with(k_good, "[[workload]]", "  [machine.distances]\n  matrix = [[10, 15], [30, 10]]\n\n[[workload]]");
  EXPECT_EQ(parse_good(text).machines.at(0).distances, (model::NodeDistanceMatrix{{10, 15}, {30, 10}}));
}

TEST(LabParser, AcceptsMemoryLessAndCpuLessNodes) {
  std::string memless =
      with(k_good, "memory = \"512M\"\n\n  [[machine.node]]\n  cpus = [2, 3]\n  memory = \"512M\"",
           "memory = \"512M\"\n\n  [[machine.node]]\n  cpus = [2]\n  memory = \"0\"\n\n"
           "  [[machine.node]]\n  cpus = [3]\n  memory = \"256M\"");
  EXPECT_EQ(parse_good(memless).machines.at(0).nodes.at(1).memory_bytes, 0u);
  std::string cpuless =
      with(k_good, "[[workload]]", "  [[machine.node]]\n  cpus = []\n  memory = \"256M\"\n\n[[workload]]");
  Lab lab = parse_good(cpuless);
  EXPECT_TRUE(lab.machines.at(0).nodes.at(2).cpus.empty());
  EXPECT_EQ(lab.machines.at(0).topology().nodes.at(2).memory_kb, 256u * 1024);
}

// --- Several problems at once ---------------------------------------------------------------

TEST(LabParser, ReportsEveryProblemInLineOrder) {
  std::string text =
      with(with(with(k_good, "cpus = [2, 3]", "cpus = [1, 2, 3]"), "memory = \"512M\"", "memroy = \"512M\""),
           "name = \"topology-check\"", "name = \"topology-chek\"");
  std::string message = error_of(text);
  EXPECT_TRUE(has_problem(message, line_of(text, "memroy"), "did you mean 'memory'?"));
  EXPECT_TRUE(has_problem(message, line_of(text, "[[machine.node]]"), "node 0 has no memory"));
  EXPECT_TRUE(has_problem(message, line_of(text, "cpus = [1, 2, 3]"),
                          "node 1 lists CPU 1, which node 0 already has"));
  EXPECT_TRUE(has_problem(message, line_of(text, "topology-chek"), "did you mean 'topology-check'?"));
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 3) << message;
  auto first = message.find("memroy");
  auto last = message.find("topology-chek");
  EXPECT_LT(first, last) << "problems are listed in line order";
}

TEST(LabParser, ProblemsWithoutALineNameTheKeyPath) {
  std::string message = error_of(with(k_good, "name = \"t\"\n", ""));
  EXPECT_NE(message.find("lab/test.toml: name: the lab has no name; add name = "), std::string::npos)
      << message;
  message = error_of("name = \"t\"\n");
  EXPECT_NE(message.find("lab/test.toml: machine: the lab has no machine"), std::string::npos) << message;
  EXPECT_NE(message.find("lab/test.toml: workload: the lab has no workload; add a [[workload]] table, "
                         "e.g. name = \"topology-check\""),
            std::string::npos)
      << message;
}

// `boot` chooses how runs reach the agent's hello; no `boot` leaves it to --boot (else fresh).
TEST(LabBoot, TheLabMaySayHowItsMachinesBoot) {
  EXPECT_FALSE(parse_good(k_good).boot.has_value());
  EXPECT_EQ(parse_good("boot = \"restore\"\n" + k_good).boot, Boot::restore);
  EXPECT_EQ(parse_good("boot = \"fresh\"\n" + k_good).boot, Boot::fresh);
  EXPECT_TRUE(fails_at("boot = \"resume\"\n" + k_good,
                       "boot = ", "boot = \"resume\" is not a way to boot; use \"fresh\""));
  EXPECT_TRUE(fails_at("boot = true\n" + k_good, "boot = ", "boot"));
}

}  // namespace
}  // namespace numalab::lab
