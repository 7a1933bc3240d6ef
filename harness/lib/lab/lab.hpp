#pragma once
// A lab: the validated form of a lab file (lab/*.toml). Plain values; parse_lab builds one or says,
// with file and line, everything that is wrong with the file.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model/topology.hpp"
#include "util/error.hpp"

namespace numalab::lab {

// Where in a lab file a value came from, for messages: "lab/numa3.toml:14".
struct SourceLocation {
  std::string file;
  int line = 0;
  std::string to_string() const;  // "file:line", or "file" when the line is unknown
};

struct NumaNode {
  int id = 0;
  std::vector<int> cpus;           // as declared, sorted
  std::uint64_t memory_bytes = 0;  // 0: a memory-less node
  SourceLocation where;
};

struct Machine {
  std::string name;
  std::string kernel;                // "debian", a path to a bzImage, or the name of a [kernel.NAME]
  std::vector<std::string> cmdline;  // appended to the lab's own console/agent arguments
  std::vector<NumaNode> nodes;
  model::NodeDistanceMatrix distances;  // always nodes.size() square; defaults 10 local, 20 remote
  bool distances_declared = false;
  SourceLocation where;

  int cpu_count() const;
  std::uint64_t memory_bytes() const;
  model::Topology topology() const;  // the declared topology, memory in KiB
};

struct Workload {
  std::string name;       // a name from the workload catalogue, e.g. "topology-check"
  std::string machine;    // the machine it runs on
  nlohmann::json params;  // the table's other keys, validated against the catalogue (an object)
  SourceLocation where;
};

// What results call a workload: its name, with "/VARIANT" when the table sets variant
// ("numa01/hard-bind").
std::string workload_label(const Workload& w);

// [kernel.NAME]: a kernel built from a base and a patch series (built by `numalab build`).
struct KernelSpec {
  std::string name;
  std::string base;                      // "debian-6.1"
  std::optional<std::string> base_tree;  // base = { tree = "...", ref = "..." }
  std::optional<std::string> base_ref;
  std::string series;               // "patches/NAME", relative to the lab's project root
  std::vector<std::string> config;  // fragment names in kernels/
  std::vector<std::string> cmdline;
  SourceLocation where;
};

// The NIC model of a network's two ends. virtio-net is the fast one under TCG (64 KiB frames);
// e1000e receives into buffers from __netdev_alloc_skb, which may dip into the memory reserves
// for swap sockets, where virtio-net's page-fragment refill cannot (a client swapping over NFS on
// virtio-net deadlocks now and then on Linux 6.1 whatever the series). A network that carries a
// workload's swap is e1000e unless the lab names its NIC.
enum class NicModel { virtio_net, e1000e };
std::string_view to_string(NicModel m);  // "virtio-net", "e1000e"

// [[network]]: a private Ethernet between exactly two machines (QEMU's Unix-socket datagram
// back-end: no host privileges, no port outside the run folder). Each machine gets one NIC on it.
struct Network {
  std::string name;
  std::vector<std::string> machines;  // exactly two, declared, distinct
  NicModel nic = NicModel::virtio_net;
  bool nic_given = false;  // the lab named the NIC (otherwise numalab chose it)
  SourceLocation where;
};

enum class FaultKind { pause, link_down };
std::string_view to_string(FaultKind k);  // "pause", "link-down"

// [[fault]]: something done to a machine while the workloads run.
struct Fault {
  FaultKind kind = FaultKind::pause;
  std::string machine;
  std::string network;              // link-down: the NIC on this network ("" for a pause)
  std::chrono::milliseconds at{0};  // after every machine's workloads started, or after `after`
  std::string after;                // a progress counter ("pswpout"): `at` counts from its first move
  std::chrono::milliseconds duration{0};
  std::chrono::milliseconds recover_within{120'000};  // after the fault ends, the run must finish
  SourceLocation where;
};

// How a run's machines reach their agent's hello: a cold boot, or a restore of the guest that a
// first cold boot saved right after its hello (the startup cache, launch/startup_cache.hpp).
enum class Boot { fresh, restore };
std::string_view to_string(Boot b);  // "fresh", "restore"
std::optional<Boot> parse_boot(std::string_view text);

struct Lab {
  std::string name;
  std::filesystem::path file;  // the lab file as given
  std::optional<Boot> boot;    // `boot = "restore"`; --boot overrides it; neither: fresh
  std::vector<Machine> machines;
  std::vector<Workload> workloads;
  std::map<std::string, KernelSpec> kernels;
  std::vector<Network> networks;
  std::vector<Fault> faults;

  const Machine* find_machine(const std::string& name) const;
};

// Parses and validates a lab file. On failure the error is of kind bad_input and its message lists
// every problem found, one per line, each starting with "FILE:LINE: " (or "FILE: KEY.PATH: ").
util::Result<Lab> parse_lab_file(const std::filesystem::path& file);
util::Result<Lab> parse_lab_text(std::string_view text, const std::string& file_name);

}  // namespace numalab::lab
