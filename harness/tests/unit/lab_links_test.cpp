// lab_links: the NICs, addresses and waiting order numalab derives from a lab's [[network]] tables
// and the workloads that name another machine.
#include "run/lab_links.hpp"

#include <gtest/gtest.h>

#include "lab/lab.hpp"

namespace numalab::run {
namespace {

lab::Lab pair_lab() {
  lab::Lab lab;
  lab.machines.resize(3);
  lab.machines[0].name = "server";
  lab.machines[1].name = "client";
  lab.machines[2].name = "loner";
  lab.networks.push_back({"storage", {"server", "client"}, lab::NicModel::e1000e, true, {}});
  lab.workloads.push_back({"nfs-server", "server", nlohmann::json::object(), {}});
  lab.workloads.push_back({"swap-nfs", "client", {{"server", "server"}}, {}});
  lab.workloads.push_back({"topology-check", "loner", nlohmann::json::object(), {}});
  return lab;
}

TEST(LabLinks, EachEndOfANetworkGetsANicPointingAtTheOther) {
  auto links = lab_links(pair_lab());
  const auto& server = links.at("server");
  const auto& client = links.at("client");
  ASSERT_EQ(server.nics.size(), 1u);
  ASSERT_EQ(client.nics.size(), 1u);
  EXPECT_EQ(server.nics[0].interface.address, "10.77.0.1");
  EXPECT_EQ(client.nics[0].interface.address, "10.77.0.2");
  EXPECT_NE(server.nics[0].interface.mac, client.nics[0].interface.mac);
  EXPECT_EQ(server.nics[0].interface.network, "storage");
  EXPECT_EQ(server.nics[0].peer, "client");
  EXPECT_EQ(client.nics[0].peer, "server");
  EXPECT_EQ(client.nics[0].peer_socket, server.nics[0].socket);
  EXPECT_EQ(server.nics[0].netdev, "net0");  // lab names never reach QEMU's option parser
  EXPECT_EQ(client.hosts.at("server"), "10.77.0.1");
  EXPECT_EQ(server.hosts.at("client"), "10.77.0.2");
  EXPECT_TRUE(links.at("loner").nics.empty());
  EXPECT_EQ(server.nics[0].model, lab::NicModel::e1000e) << "both ends have the network's NIC model";
  EXPECT_EQ(client.nics[0].model, lab::NicModel::e1000e);
}

TEST(LabLinks, AClientWaitsForTheServerItNamesAndTheServerProvidesItsService) {
  auto links = lab_links(pair_lab());
  EXPECT_EQ(links.at("client").waits_for, std::vector<std::string>{"server"});
  EXPECT_TRUE(links.at("server").waits_for.empty());
  EXPECT_EQ(links.at("server").services, std::vector<std::string>{"nfs"});
  EXPECT_TRUE(links.at("client").services.empty());
  EXPECT_TRUE(links.at("loner").waits_for.empty());
}

// Three machines: one server, two clients, a network to each. The server has a NIC on each
// network; each client reaches the server at the server's address on its own network.
TEST(LabLinks, AServerWithTwoClientsHasANicOnEachNetwork) {
  lab::Lab lab;
  lab.machines.resize(3);
  lab.machines[0].name = "server";
  lab.machines[1].name = "a";
  lab.machines[2].name = "b";
  lab.networks.push_back({"to-a", {"server", "a"}, lab::NicModel::virtio_net, false, {}});
  lab.networks.push_back({"to-b", {"server", "b"}, lab::NicModel::e1000e, true, {}});
  lab.workloads.push_back({"nfs-server", "server", nlohmann::json::object(), {}});
  lab.workloads.push_back({"swap-nfs", "a", {{"server", "server"}}, {}});
  lab.workloads.push_back({"swap-nfs", "b", {{"server", "server"}}, {}});
  auto links = lab_links(lab);
  const auto& server = links.at("server");
  ASSERT_EQ(server.nics.size(), 2u);
  EXPECT_EQ(server.nics[0].interface.address, "10.77.0.1");
  EXPECT_EQ(server.nics[1].interface.address, "10.77.1.1");
  EXPECT_NE(server.nics[0].interface.mac, server.nics[1].interface.mac);
  EXPECT_NE(server.nics[0].socket, server.nics[1].socket);
  EXPECT_EQ(server.nics[0].model, lab::NicModel::virtio_net);
  EXPECT_EQ(server.nics[1].model, lab::NicModel::e1000e);
  EXPECT_EQ(links.at("a").hosts.at("server"), "10.77.0.1");
  EXPECT_EQ(links.at("b").hosts.at("server"), "10.77.1.1");
  EXPECT_EQ(links.at("a").nics[0].peer_socket, server.nics[0].socket);
  EXPECT_EQ(links.at("b").nics[0].peer_socket, server.nics[1].socket);
  EXPECT_FALSE(links.at("a").hosts.contains("b")) << "the clients share no network";
  EXPECT_EQ(links.at("b").waits_for, std::vector<std::string>{"server"});
  EXPECT_EQ(server.services, std::vector<std::string>{"nfs"});
}

}  // namespace
}  // namespace numalab::run
