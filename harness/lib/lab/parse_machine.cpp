// read_machine: one [[machine]] table, its name, kernel and command line. Nodes and distances are
// read by parse_nodes.cpp and parse_distances.cpp.
#include "lab/closest_name.hpp"
#include "lab/lab_sections.hpp"
#include "lab/toml_reading.hpp"

namespace numalab::lab {
namespace {

const std::vector<std::string> k_machine_keys = {"name", "kernel", "cmdline", "node", "distances"};

bool is_machine_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A kernel that is not a name but a file: "/boot/vmlinuz-6.1.0-13-amd64", "build/bzImage".
bool looks_like_path(std::string_view kernel) {
  return kernel.find('/') != std::string_view::npos || kernel.ends_with("bzImage") ||
         kernel.ends_with("vmlinuz") || kernel.starts_with("vmlinuz-");
}

std::string read_machine_name(const toml::table& table, std::string_view path, Problems& problems) {
  auto name = read_string(table, "name", "name = \"guest\"", path, problems);
  if (!table.contains("name")) {
    problems.add(table.source(), key_path(path, "name"), "[[machine]] has no name; add name = \"guest\"");
  } else if (name && !is_machine_name(*name)) {
    problems.add(
        table.get("name")->source(), key_path(path, "name"),
        "machine name '" + *name + "' may only use letters, digits, '_' and '-', e.g. name = \"guest\"");
  }
  return name.value_or("");
}

// kernel = "debian" (the default), a path to a kernel image, or the NAME of a [kernel.NAME] table.
// Whether the kernel exists is for the runner to find out; here only a name that means nothing is
// an error.
std::string read_machine_kernel(const toml::table& table, const Machine& machine, std::string_view path,
                                const std::map<std::string, KernelSpec>& kernels, Problems& problems) {
  const toml::node* node = table.get("kernel");
  if (node == nullptr) return std::string(k_default_kernel);
  auto kernel = read_string(table, "kernel", "kernel = \"debian\"", path, problems);
  if (!kernel) return std::string(k_default_kernel);
  if (kernel->empty()) {
    problems.add(node->source(), key_path(path, "kernel"),
                 machine_label(machine.name) +
                     " has an empty kernel; write kernel = \"debian\", a path to a "
                     "kernel image, or the NAME of a [kernel.NAME] table");
  } else if (*kernel != k_default_kernel && !kernels.contains(*kernel) && !looks_like_path(*kernel)) {
    std::vector<std::string> names = {std::string(k_default_kernel)};
    for (const auto& [name, spec] : kernels) names.push_back(name);
    std::string hint = did_you_mean(*kernel, names);
    if (hint.empty()) hint = "; add a [kernel." + *kernel + "] table or write kernel = \"debian\"";
    problems.add(node->source(), key_path(path, "kernel"),
                 machine_label(machine.name) + " names kernel '" + *kernel + "', which is neither '" +
                     std::string(k_default_kernel) + "', a path, nor a [kernel." + *kernel + "] table" +
                     hint);
  }
  return *kernel;
}

}  // namespace

Machine read_machine(const toml::table& table, std::string_view path,
                     const std::map<std::string, KernelSpec>& kernels, Problems& problems) {
  Machine machine;
  machine.where = problems.location(table);
  check_known_keys(table, k_machine_keys, "[[machine]]", path, problems);
  machine.name = read_machine_name(table, path, problems);
  machine.kernel = read_machine_kernel(table, machine, path, kernels, problems);
  if (const toml::node* cmdline = table.get("cmdline"))
    machine.cmdline = read_cmdline(*cmdline, key_path(path, "cmdline"), problems);
  machine.nodes = read_nodes(table, machine.name, path, problems);
  machine.distances = default_distances(machine.nodes.size());
  if (const toml::node* distances = table.get("distances")) {
    machine.distances_declared = true;
    machine.distances =
        read_distances(*distances, machine.nodes.size(), key_path(path, "distances"), problems);
  }
  return machine;
}

}  // namespace numalab::lab
