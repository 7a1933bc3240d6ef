// [[network]] and [[fault]] in lab files: what a two-machine lab reads as, and each mistake reported
// at its line with what to change.
#include <gtest/gtest.h>

#include "lab/lab.hpp"
#include "lab_test_support.hpp"

namespace numalab::lab {
namespace {

using namespace numalab::lab::test;
using namespace std::chrono_literals;

const std::string k_two = R"(name = "pair"

[[machine]]
name = "server"
  [[machine.node]]
  cpus = [0]
  memory = "512M"

[[machine]]
name = "client"
  [[machine.node]]
  cpus = [0, 1]
  memory = "512M"

[[workload]]
name = "topology-check"
machine = "client"
)";

const std::string k_net = "\n[[network]]\nname = \"storage\"\nmachines = [\"server\", \"client\"]\n";

TEST(LabNetworks, ANetworkLinksTwoMachines) {
  Lab lab = parse_good(k_two + k_net);
  ASSERT_EQ(lab.networks.size(), 1u);
  EXPECT_EQ(lab.networks[0].name, "storage");
  EXPECT_EQ(lab.networks[0].machines, (std::vector<std::string>{"server", "client"}));
  EXPECT_EQ(lab.networks[0].where.line, line_of(k_two + k_net, "[[network]]"));
  EXPECT_EQ(lab.networks[0].nic, NicModel::virtio_net) << "virtio-net unless the lab says otherwise";
}

TEST(LabNetworks, TheNicModelIsTheLabsChoice) {
  Lab lab = parse_good(k_two + k_net + "nic = \"e1000e\"\n");
  ASSERT_EQ(lab.networks.size(), 1u);
  EXPECT_EQ(lab.networks[0].nic, NicModel::e1000e);
  EXPECT_TRUE(fails_at(
      k_two + k_net + "nic = \"rtl8139\"\n", "nic = ",
      "nic = \"rtl8139\" is not a NIC numalab knows; use \"virtio-net\" (the default) or \"e1000e\""));
  EXPECT_TRUE(fails_at(k_two + k_net + "nic = 1\n", "nic = ", "nic"));
}

// swap-nfs's client swapping to its server over virtio-net deadlocks now and then on Linux 6.1
// whatever the series, so the network that carries the swap is e1000e unless the lab says.
TEST(LabNetworks, ANetworkThatCarriesSwapIsE1000eUnlessTheLabNamesItsNic) {
  const std::string swap = R"(
[[network]]
name = "other"
machines = ["client", "third"]

[[machine]]
name = "third"
  [[machine.node]]
  cpus = [0]
  memory = "256M"

[[workload]]
name = "nfs-server"
machine = "server"

[[workload]]
name = "swap-nfs"
machine = "client"
server = "server"
)";
  Lab lab = parse_good(k_two + k_net + swap);
  ASSERT_EQ(lab.networks.size(), 2u);
  EXPECT_EQ(lab.networks[0].nic, NicModel::e1000e) << "storage carries the client's swap";
  EXPECT_FALSE(lab.networks[0].nic_given);
  EXPECT_EQ(lab.networks[1].nic, NicModel::virtio_net) << "the client's other network carries none";

  Lab named = parse_good(k_two + k_net + "nic = \"virtio-net\"\n" + swap);
  EXPECT_EQ(named.networks[0].nic, NicModel::virtio_net) << "the lab's own choice stands";
  EXPECT_TRUE(named.networks[0].nic_given);
}

TEST(LabNetworks, MistakesAreReportedAtTheirLine) {
  EXPECT_TRUE(fails_at(k_two + "\n[[network]]\nname = \"s\"\nmachines = [\"server\"]\n", "machines = [",
                       "network 's' links 1 machine; a network links two machines"));
  EXPECT_TRUE(fails_at(k_two + "\n[[network]]\nname = \"s\"\nmachines = [\"server\", \"cleint\"]\n",
                       "machines = [",
                       "names machine 'cleint', which the lab does not declare; did you mean 'client'?"));
  EXPECT_TRUE(fails_at(k_two + "\n[[network]]\nname = \"s\"\nmachines = [\"server\", \"server\"]\n",
                       "machines = [", "names machine 'server' twice"));
  EXPECT_TRUE(fails_at(k_two + "\n[[network]]\nmachines = [\"server\", \"client\"]\n", "[[network]]",
                       "[[network]] has no name"));
  EXPECT_TRUE(fails_at(k_two + "\n[[network]]\nname = \"s\"\n", "[[network]]",
                       "does not say which machines it links"));
  EXPECT_TRUE(fails_at(
      k_two + k_net + "\n[[network]]\nname = \"storage\"\nmachines = [\"client\", \"server\"]\n",
      "[[network]]\nname = \"storage\"\nmachines = [\"client\"", "already used by the network at line"));
  EXPECT_TRUE(fails_at(with(k_two, "name = \"pair\"", "name = \"pair\"\nnetwork = 3"), "network = 3",
                       "'network' must be an array of tables"));
}

TEST(LabFaults, APauseAndALinkDownRead) {
  const std::string text =
      k_two + k_net +
      "\n[[fault]]\nkind = \"pause\"\nmachine = \"server\"\nat = \"10s\"\nduration = \"5s\"\n"
      "\n[[fault]]\nkind = \"link-down\"\nmachine = \"client\"\nat = 30\nduration = \"500ms\"\n"
      "recover_within = \"1m\"\n";
  Lab lab = parse_good(text);
  ASSERT_EQ(lab.faults.size(), 2u);
  EXPECT_EQ(lab.faults[0].kind, FaultKind::pause);
  EXPECT_EQ(lab.faults[0].machine, "server");
  EXPECT_EQ(lab.faults[0].at, 10s);
  EXPECT_EQ(lab.faults[0].duration, 5s);
  EXPECT_EQ(lab.faults[0].recover_within, 120s);  // the default
  EXPECT_EQ(lab.faults[1].kind, FaultKind::link_down);
  EXPECT_EQ(lab.faults[1].network, "storage");  // the machine's only network
  EXPECT_EQ(lab.faults[1].at, 30s);
  EXPECT_EQ(lab.faults[1].duration, 500ms);
  EXPECT_EQ(lab.faults[1].recover_within, 1min);
}

std::string fault(std::string_view body) { return k_two + k_net + "\n[[fault]]\n" + std::string(body); }

TEST(LabFaults, MistakesAreReportedAtTheirLine) {
  EXPECT_TRUE(fails_at(fault("kind = \"pause\"\nmachine = \"sever\"\nat = \"1s\"\nduration = \"1s\"\n"),
                       "machine = \"sever\"",
                       "names machine 'sever', which the lab does not declare; did you mean 'server'?"));
  EXPECT_TRUE(fails_at(fault("kind = \"freeze\"\nmachine = \"server\"\nat = \"1s\"\nduration = \"1s\"\n"),
                       "kind = \"freeze\"", "unknown fault kind 'freeze'"));
  EXPECT_TRUE(fails_at(fault("kind = \"pause\"\nmachine = \"server\"\nduration = \"1s\"\n"), "[[fault]]",
                       "needs 'at'"));
  EXPECT_TRUE(fails_at(fault("kind = \"pause\"\nmachine = \"server\"\nat = \"ten\"\nduration = \"1s\"\n"),
                       "at = \"ten\"", "'at' must be a duration"));
  EXPECT_TRUE(fails_at(fault("kind = \"pause\"\nmachine = \"server\"\nat = \"1s\"\nduration = 0\n"),
                       "duration = 0", "a fault of duration 0 does nothing"));
  EXPECT_TRUE(fails_at(
      fault(
          "kind = \"pause\"\nmachine = \"server\"\nnetwork = \"storage\"\nat = \"1s\"\nduration = \"1s\"\n"),
      "network = \"storage\"\nat", "'network' is only for kind = \"link-down\""));
  EXPECT_TRUE(fails_at(fault("kind = \"link-down\"\nmachine = \"server\"\nnetwork = \"sotrage\"\nat = "
                             "\"1s\"\nduration = \"1s\"\n"),
                       "network = \"sotrage\"", "is not on network 'sotrage'"));
  EXPECT_TRUE(fails_at(
      k_two + "\n[[fault]]\nkind = \"link-down\"\nmachine = \"server\"\nat = \"1s\"\nduration = \"1s\"\n",
      "[[fault]]", "link-down on machine 'server', which is on no [[network]]"));
  EXPECT_TRUE(
      fails_at(fault("kind = \"pause\"\nmachine = \"server\"\nat = \"1s\"\nduration = \"1s\"\nwhen = 3\n"),
               "when = 3", "unknown key 'when' in [[fault]]"));
}

TEST(LabFaults, OverlappingFaultsOnOneMachineAreRefused) {
  const std::string text =
      fault("kind = \"pause\"\nmachine = \"server\"\nat = \"10s\"\nduration = \"5s\"\n") +
      "\n[[fault]]\nkind = \"link-down\"\nmachine = \"server\"\nat = \"12s\"\nduration = \"5s\"\n";
  const int first = line_of(text, "[[fault]]");
  const std::string second = "[[fault]]\nkind = \"link-down\"";
  EXPECT_TRUE(
      fails_at(text, second, "overlaps the fault on machine 'server' at line " + std::to_string(first)));
  // Back to back is not an overlap; faults on two machines may overlap.
  parse_good(fault("kind = \"pause\"\nmachine = \"server\"\nat = \"10s\"\nduration = \"5s\"\n") +
             "\n[[fault]]\nkind = \"pause\"\nmachine = \"server\"\nat = \"15s\"\nduration = \"5s\"\n"
             "\n[[fault]]\nkind = \"pause\"\nmachine = \"client\"\nat = \"10s\"\nduration = \"5s\"\n");
}

TEST(LabFaults, AfterStartsTheClockAtACountersFirstMove) {
  const auto lab =
      parse_good(fault("kind = \"pause\"\nmachine = \"server\"\nafter = \"pswpout\"\nat = \"2s\"\n"
                       "duration = \"5s\"\n"));
  ASSERT_EQ(lab.faults.size(), 1u);
  EXPECT_EQ(lab.faults[0].after, "pswpout");
  EXPECT_EQ(lab.faults[0].at, 2s);
  EXPECT_EQ(parse_good(fault("kind = \"pause\"\nmachine = \"server\"\nat = \"2s\"\nduration = \"5s\"\n"))
                .faults[0]
                .after,
            "")
      << "without it, the workloads' start";
  EXPECT_TRUE(
      fails_at(fault("kind = \"pause\"\nmachine = \"server\"\nafter = \"progress.pswpout\"\nat = \"2s\"\n"
                     "duration = \"5s\"\n"),
               "after = \"progress.pswpout\"", "'after' names a progress counter of a workload"));
  EXPECT_TRUE(
      fails_at(fault("kind = \"pause\"\nmachine = \"server\"\nafter = 3\nat = \"2s\"\nduration = \"5s\"\n"),
               "after = 3", "after"));
}

TEST(LabFaults, FaultsOnOneMachineShareOneClock) {
  const std::string text =
      fault("kind = \"pause\"\nmachine = \"server\"\nat = \"10s\"\nduration = \"5s\"\n") +
      "\n[[fault]]\nkind = \"pause\"\nmachine = \"server\"\nafter = \"pswpout\"\nat = \"30s\"\n"
      "duration = \"5s\"\n";
  const int first = line_of(text, "[[fault]]");
  EXPECT_TRUE(fails_at(text, "[[fault]]\nkind = \"pause\"\nmachine = \"server\"\nafter",
                       "counts from the first move of pswpout, the one at line " + std::to_string(first) +
                           " from the workloads' start"));
  // Two machines may count from different moments.
  parse_good(fault("kind = \"pause\"\nmachine = \"server\"\nat = \"10s\"\nduration = \"5s\"\n") +
             "\n[[fault]]\nkind = \"pause\"\nmachine = \"client\"\nafter = \"pswpout\"\nat = "
             "\"1s\"\nduration = \"5s\"\n");
}

}  // namespace
}  // namespace numalab::lab
