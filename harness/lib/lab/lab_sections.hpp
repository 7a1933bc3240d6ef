#pragma once
// The parts of parse_lab, one per section of a lab file. Each reads what it can, reports every
// problem to `problems` and carries on, so that one run of the parser lists them all.
// `path` is where the section sits in the file ("machine[0]"), for messages without a line.

#include <toml++/toml.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lab/lab.hpp"
#include "lab/problems.hpp"

namespace numalab::lab {

// At most this many NUMA nodes and CPUs per machine.
using model::k_max_nodes;
inline constexpr int k_max_cpus = 64;

// The kernel a machine runs when its table does not name one: Debian's packaged kernel.
inline constexpr std::string_view k_default_kernel = "debian";

// "machine 'guest'", or "the machine" when it has no name (reported on its own).
inline std::string machine_label(std::string_view name) {
  return name.empty() ? std::string("the machine") : "machine '" + std::string(name) + "'";
}

// [kernel.NAME] tables: kernels built from a base and a patch series.
std::map<std::string, KernelSpec> read_kernel_specs(const toml::node& kernel, Problems& problems);

// One [[machine]] table. `kernels` are the lab's [kernel.NAME] tables, which `kernel` may name.
Machine read_machine(const toml::table& table, std::string_view path,
                     const std::map<std::string, KernelSpec>& kernels, Problems& problems);

// The [[machine.node]] tables of one machine, with the machine-wide CPU and memory checks.
std::vector<NumaNode> read_nodes(const toml::table& machine, std::string_view machine_name,
                                 std::string_view path, Problems& problems);

// [machine.distances] for a machine of node_count nodes; the default matrix when it is wrong.
model::NodeDistanceMatrix read_distances(const toml::node& distances, std::size_t node_count,
                                         std::string_view path, Problems& problems);

// 10 on the diagonal, 20 elsewhere.
model::NodeDistanceMatrix default_distances(std::size_t node_count);

// One [[workload]] table, checked against the workload catalogue and the lab's machines.
Workload read_workload(const toml::table& table, std::string_view path, const std::vector<Machine>& machines,
                       Problems& problems);

// The [[network]] tables: each links two declared machines.
std::vector<Network> read_networks(const toml::node& node, const std::vector<Machine>& machines,
                                   Problems& problems);

// The [[fault]] tables: kind, machine, times; faults on one machine must not overlap.
std::vector<Fault> read_faults(const toml::node& node, const std::vector<Machine>& machines,
                               const std::vector<Network>& networks, Problems& problems);

// Workload parameters that name another machine: declared, another machine, on a shared network,
// running a service. Called once the workloads are read.
void check_machine_links(const Lab& lab, const toml::table& root, Problems& problems);

// A network between a workload that swaps over the network (swap-nfs) and the machine it swaps to
// is e1000e unless the lab named its NIC (lab.hpp, NicModel). Called once the workloads are read.
void choose_swap_nics(Lab& lab);

// An array of tables such as [[network]], or nullptr with the problem reported.
const toml::array* table_array(const toml::node& node, std::string_view key, Problems& problems);

}  // namespace numalab::lab
