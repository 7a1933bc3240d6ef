// parse_lab_text and parse_lab_file: the top level of a lab file and the order its sections are
// read in (kernels, then the machines that name them, then the workloads that name machines).
#include <cerrno>
#include <cstdio>
#include <memory>

#include "lab/closest_name.hpp"
#include "lab/lab.hpp"
#include "lab/lab_sections.hpp"
#include "lab/toml_reading.hpp"

namespace numalab::lab {
namespace {

const std::vector<std::string> k_top_level_keys = {"name",   "boot",    "machine", "workload",
                                                   "kernel", "network", "fault"};

void check_top_level(const toml::table& root, Problems& problems) {
  check_known_keys(root, k_top_level_keys, "the top level of the lab file", "", problems);
}

std::string read_lab_name(const toml::table& root, Problems& problems) {
  auto name = read_string(root, "name", "name = \"numa2\"", "", problems);
  if (!root.contains("name"))
    problems.add(0, "name", "the lab has no name; add name = \"...\" at the top of the file");
  else if (name && name->empty())
    problems.add(root.get("name")->source(), "name",
                 "the lab's name is empty; give it one, e.g. name = \"numa2\"");
  return name.value_or("");
}

std::optional<Boot> read_boot(const toml::table& root, Problems& problems) {
  if (!root.contains("boot")) return std::nullopt;
  auto text = read_string(root, "boot", "boot = \"restore\"", "", problems);
  if (!text) return std::nullopt;
  auto boot = parse_boot(*text);
  if (!boot)
    problems.add(
        root.get("boot")->source(), "boot",
        "boot = \"" + *text +
            "\" is not a way to boot; use \"fresh\" (a cold boot each run, the default) or \"restore\" "
            "(restore the guest a first cold boot saved at its agent's hello)");
  return boot;
}

// The tables of an array of tables such as [[machine]], or nullptr with the problem reported.
const toml::array* read_table_array(const toml::table& root, std::string_view key, std::string_view example,
                                    Problems& problems) {
  const toml::node* node = root.get(key);
  if (node == nullptr) {
    problems.add(0, key, "the lab has no " + std::string(key) + "; " + std::string(example));
    return nullptr;
  }
  if (!node->is_array_of_tables() || node->as_array()->empty()) {
    problems.add(node->source(), key,
                 "'" + std::string(key) + "' must be an array of tables: write [[" + std::string(key) +
                     "]] before each one; it is " + type_phrase(*node));
    return nullptr;
  }
  return node->as_array();
}

std::vector<Machine> read_machines(const toml::table& root, const std::map<std::string, KernelSpec>& kernels,
                                   Problems& problems) {
  std::vector<Machine> machines;
  const toml::array* tables = read_table_array(
      root, "machine", "add a [[machine]] table with name = \"guest\" and at least one [[machine.node]]",
      problems);
  if (tables == nullptr) return machines;
  for (std::size_t i = 0; i < tables->size(); ++i) {
    Machine machine =
        read_machine(*tables->get(i)->as_table(), indexed_path("machine", i), kernels, problems);
    const Machine* first = nullptr;
    for (const auto& other : machines)
      if (!machine.name.empty() && other.name == machine.name && first == nullptr) first = &other;
    if (first != nullptr)
      problems.add(machine.where.line, indexed_path("machine", i),
                   "machine name '" + machine.name + "' is already used by the machine at line " +
                       std::to_string(first->where.line) + "; give each machine its own name");
    machines.push_back(std::move(machine));
  }
  return machines;
}

std::vector<Workload> read_workloads(const toml::table& root, const std::vector<Machine>& machines,
                                     Problems& problems) {
  std::vector<Workload> workloads;
  const toml::array* tables = read_table_array(
      root, "workload", "add a [[workload]] table, e.g. name = \"topology-check\"", problems);
  if (tables == nullptr) return workloads;
  for (std::size_t i = 0; i < tables->size(); ++i)
    workloads.push_back(
        read_workload(*tables->get(i)->as_table(), indexed_path("workload", i), machines, problems));
  return workloads;
}

Lab read_lab(const toml::table& root, Problems& problems) {
  Lab lab;
  check_top_level(root, problems);
  lab.name = read_lab_name(root, problems);
  lab.boot = read_boot(root, problems);
  if (const toml::node* kernel = root.get("kernel")) lab.kernels = read_kernel_specs(*kernel, problems);
  lab.machines = read_machines(root, lab.kernels, problems);
  if (const toml::node* networks = root.get("network"))
    lab.networks = read_networks(*networks, lab.machines, problems);
  if (const toml::node* faults = root.get("fault"))
    lab.faults = read_faults(*faults, lab.machines, lab.networks, problems);
  lab.workloads = read_workloads(root, lab.machines, problems);
  check_machine_links(lab, root, problems);
  choose_swap_nics(lab);
  return lab;
}

util::Result<toml::table> parse_toml(std::string_view text, const std::string& file_name) {
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, std::string_view(file_name));
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    return util::fail(util::ErrorKind::bad_input,
                      file_name + ":" + std::to_string(where.line) + ": TOML syntax error at column " +
                          std::to_string(where.column) + ": " + std::string(error.description()));
  }
#else
  toml::parse_result result = toml::parse(text, std::string_view(file_name));
  if (result) return std::move(result).table();
  const auto& where = result.error().source().begin;
  return util::fail(util::ErrorKind::bad_input,
                    file_name + ":" + std::to_string(where.line) + ": TOML syntax error at column " +
                        std::to_string(where.column) + ": " + std::string(result.error().description()));
#endif
}

}  // namespace

std::string_view to_string(Boot b) { return b == Boot::restore ? "restore" : "fresh"; }

std::optional<Boot> parse_boot(std::string_view text) {
  if (text == "fresh") return Boot::fresh;
  if (text == "restore") return Boot::restore;
  return std::nullopt;
}

util::Result<Lab> parse_lab_text(std::string_view text, const std::string& file_name) {
  try {
    auto root = parse_toml(text, file_name);
    if (!root) return std::unexpected(root.error());
    Problems problems(file_name);
    Lab lab = read_lab(*root, problems);
    if (!problems.empty()) return util::fail(util::ErrorKind::bad_input, problems.text());
    lab.file = file_name;
    return lab;
  } catch (const std::exception& error) {
    return util::fail(util::ErrorKind::internal,
                      file_name + ": reading the lab file failed: " + error.what());
  }
}

util::Result<Lab> parse_lab_file(const std::filesystem::path& file) {
  struct CloseFile {
    void operator()(std::FILE* stream) const { std::fclose(stream); }
  };
  std::unique_ptr<std::FILE, CloseFile> stream(std::fopen(file.c_str(), "rb"));
  if (!stream)
    return util::fail(util::ErrorKind::bad_input,
                      file.string() + ": cannot open the lab file: " + util::errno_text(errno));
  std::string text;
  char buffer[65536];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, stream.get())) > 0) text.append(buffer, got);
  if (std::ferror(stream.get()))
    return util::fail(util::ErrorKind::bad_input,
                      file.string() + ": cannot read the lab file: " + util::errno_text(errno));
  auto lab = parse_lab_text(text, file.string());
  if (lab) lab->file = file;
  return lab;
}

}  // namespace numalab::lab
