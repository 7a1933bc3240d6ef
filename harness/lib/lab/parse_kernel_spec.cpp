// read_kernel_specs: [kernel.NAME] tables, kernels that `numalab build` makes from a base and an
// optional patch series (none: the base as it is, built with the lab's config fragments).
#include "lab/lab_sections.hpp"
#include "lab/toml_reading.hpp"

namespace numalab::lab {
namespace {

const std::vector<std::string> k_kernel_keys = {"base", "series", "config", "cmdline"};
const std::vector<std::string> k_base_keys = {"tree", "ref"};
const std::string k_base_example =
    "base = \"debian-6.1\" or base = { tree = \"/path/to/linux\", ref = \"v6.1\" }";

// Kernel names end up in cache paths and command lines: keep them to a safe alphabet.
bool is_kernel_name(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

void read_base_tree(const toml::table& base, KernelSpec& spec, std::string_view path, Problems& problems) {
  std::string where = "base of [kernel." + spec.name + "]";
  check_known_keys(base, k_base_keys, where, path, problems);
  spec.base_tree = read_string(base, "tree", "tree = \"/path/to/linux\"", path, problems);
  spec.base_ref = read_string(base, "ref", "ref = \"v6.1\"", path, problems);
  if (!base.contains("tree"))
    problems.add(base.source(), key_path(path, "tree"),
                 where + " has no tree; add the path of a Linux source tree, e.g. " + k_base_example);
  else if (spec.base_tree && spec.base_tree->empty())
    problems.add(base.get("tree")->source(), key_path(path, "tree"),
                 where + " has an empty tree; e.g. " + k_base_example);
}

void read_base(const toml::table& table, KernelSpec& spec, std::string_view path, Problems& problems) {
  std::string base_path = key_path(path, "base");
  const toml::node* base = table.get("base");
  if (base == nullptr) {
    problems.add(table.source(), base_path, "[kernel." + spec.name + "] has no base; add " + k_base_example);
  } else if (const auto* text = base->as_string()) {
    spec.base = text->get();
    if (spec.base.empty())
      problems.add(base->source(), base_path,
                   "[kernel." + spec.name + "] has an empty base; write " + k_base_example);
  } else if (const auto* tree = base->as_table()) {
    read_base_tree(*tree, spec, base_path, problems);
  } else {
    problems.add(base->source(), base_path,
                 "base of [kernel." + spec.name + "] must be a string or a table; write " + k_base_example +
                     "; it is " + type_phrase(*base));
  }
}

KernelSpec read_kernel_spec(const toml::table& table, const std::string& name, std::string_view path,
                            Problems& problems) {
  KernelSpec spec;
  spec.name = name;
  spec.where = problems.location(table);
  check_known_keys(table, k_kernel_keys, "[kernel." + name + "]", path, problems);
  read_base(table, spec, path, problems);
  spec.series = read_string(table, "series", "series = \"patches/NAME\"", path, problems).value_or("");
  if (table.contains("series") && spec.series.empty() && table.get("series")->is_string())
    problems.add(table.get("series")->source(), key_path(path, "series"),
                 "[kernel." + name +
                     "] has an empty series; name a folder of patches, e.g. series = \"patches/NAME\", "
                     "or leave series out to build the base unpatched");
  if (const toml::node* config = table.get("config"))
    spec.config =
        read_string_array(*config, "config", "config = [\"numa-lab\"]", key_path(path, "config"), problems)
            .value_or(std::vector<std::string>{});
  if (const toml::node* cmdline = table.get("cmdline"))
    spec.cmdline = read_cmdline(*cmdline, key_path(path, "cmdline"), problems);
  return spec;
}

}  // namespace

std::map<std::string, KernelSpec> read_kernel_specs(const toml::node& kernel, Problems& problems) {
  std::map<std::string, KernelSpec> specs;
  const toml::table* tables = kernel.as_table();
  if (tables == nullptr) {
    problems.add(
        kernel.source(), "kernel",
        "'kernel' at the top level holds [kernel.NAME] tables; a machine's kernel goes in its [[machine]] "
        "table, e.g. kernel = \"debian\"");
    return specs;
  }
  for (auto&& [key, value] : *tables) {
    std::string name(key.str());
    std::string path = key_path("kernel", name);
    if (!is_kernel_name(name))
      problems.add(key.source(), path,
                   "kernel name '" + name + "' may only use letters, digits, '.', '_' and '-'");
    else if (name == k_default_kernel)
      problems.add(
          key.source(), path,
          "[kernel.debian] would hide Debian's prebuilt kernel, which kernel = \"debian\" names; call it "
          "something else");
    if (const toml::table* table = value.as_table())
      specs.emplace(name, read_kernel_spec(*table, name, path, problems));
    else
      problems.add(value.source(), path,
                   "kernel." + name + " must be a table: write [kernel." + name +
                       "] with base = ... and series = "
                       "...; it is " +
                       type_phrase(value));
  }
  return specs;
}

}  // namespace numalab::lab
