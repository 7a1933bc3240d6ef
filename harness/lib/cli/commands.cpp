#include "cli/commands.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/exit_status.hpp"
#include "cli/run_text.hpp"
#include "lab/lab.hpp"
#include "run/lab_runner.hpp"
#include "run/machine_prep.hpp"
#include "store/store.hpp"
#include "util/cache_dir.hpp"

namespace numalab::cli {

namespace {

int report(const util::Error& e) {
  std::cerr << "numalab: " << e.message << "\n";
  return exit_status_for(e);
}

void say(const std::string& line) { std::cerr << "  " << line << "\n"; }

util::Result<std::unique_ptr<store::ResultsStore>> open_store(const std::filesystem::path& results) {
  std::error_code ec;
  std::filesystem::create_directories(results, ec);
  if (ec)
    return util::fail(util::ErrorKind::cannot_run, "cannot create " + results.string() + ": " + ec.message());
  return store::ResultsStore::open((results / "numalab.db").string());
}

}  // namespace

std::filesystem::path agent_binary_path() {
  if (const char* a = std::getenv("NUMALAB_AGENT"); a && *a) return a;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return self.parent_path() / "numalab-agent";
}

int cmd_run(const RunArgs& args) {
  auto lab = lab::parse_lab_file(args.lab);
  if (!lab) return report(lab.error());
  auto store = open_store(args.results);
  if (!store) return report(store.error());

  run::RunOptions opt;
  opt.results_dir = args.results;
  opt.kernel_override = args.kernel;
  opt.cache_dir = util::cache_dir();
  opt.agent_binary = agent_binary_path();
  opt.limits.hang_timeout = std::chrono::seconds(args.hang_timeout_s);
  opt.limits.boot_timeout = std::chrono::seconds(args.boot_timeout_s);
  opt.say = say;
  std::cerr << "numalab: running " << args.lab.string() << " (lab " << lab->name << ")\n";
  auto outcome = run::run_lab(*lab, opt, **store);
  if (!outcome) return report(outcome.error());

  std::cout << format_run(outcome->result, ::isatty(STDOUT_FILENO) == 1);
  if (args.json) {
    std::ofstream out(*args.json);
    out << result::to_summary_json(outcome->result).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    if (!out) return report({util::ErrorKind::cannot_run, "cannot write " + args.json->string()});
  }
  if (outcome->interrupted_by) return 128 + outcome->interrupted_by;
  return exit_status_for(outcome->result.verdict);
}

int cmd_build(const BuildArgs& args) {
  auto lab = lab::parse_lab_file(args.lab);
  if (!lab) return report(lab.error());
  std::vector<std::optional<std::string>> wanted;
  if (args.kernels.empty()) wanted.push_back(std::nullopt);
  for (const auto& k : args.kernels) wanted.push_back(k);
  for (const auto& k : wanted) {
    auto preps = run::prepare_machines(*lab, {k, util::cache_dir(), agent_binary_path(), "qemu-system-x86_64"}, say);
    if (!preps) return report(preps.error());
  }
  std::cout << "numalab: every kernel and guest image of " << args.lab.string() << " is ready\n";
  return k_exit_pass;
}

int cmd_list(const std::filesystem::path& results, int limit) {
  auto store = open_store(results);
  if (!store) return report(store.error());
  auto rows = (*store)->list_runs(limit);
  if (!rows) return report(rows.error());
  if (rows->empty()) {
    std::cout << "no runs in " << (results / "numalab.db").string() << " yet: try numalab run lab/default.toml\n";
    return k_exit_pass;
  }
  std::cout << fmt::format("{:<6} {:<20} {:<20} {:<8} {:>8}  {}\n", "RUN", "STARTED", "LAB", "VERDICT", "SECONDS", "KERNELS");
  for (const auto& r : *rows)
    std::cout << fmt::format("{:<6} {:<20} {:<20} {:<8} {:>8.1f}  {}\n", r.run_id, r.started_at, r.lab,
                             r.verdict, r.duration_s, r.kernels);
  return k_exit_pass;
}

int cmd_show(const std::filesystem::path& results, const std::string& run_id, bool as_json) {
  auto store = open_store(results);
  if (!store) return report(store.error());
  std::string id = run_id;
  if (!id.empty() && id.find_first_not_of("0123456789") == std::string::npos && id.size() < 4)
    id = std::string(4 - id.size(), '0') + id;
  auto run = (*store)->load_run(id);
  if (!run) return report(run.error());
  if (!*run) return report({util::ErrorKind::bad_input, "no run " + run_id + " in " + (results / "numalab.db").string() + " (numalab list shows the runs)"});
  if (as_json) std::cout << result::to_summary_json(**run).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  else std::cout << format_run(**run, ::isatty(STDOUT_FILENO) == 1);
  return k_exit_pass;
}

int cmd_kernels() {
  const auto dir = util::cache_dir() / "kernels" / "debian";
  std::error_code ec;
  std::cout << fmt::format("{:<10} {:<24} {}\n", "NAME", "RELEASE", "PATH");
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (!e.is_directory() || e.is_symlink() || !std::filesystem::exists(e.path() / ".complete")) continue;
    std::cout << fmt::format("{:<10} {:<24} {}\n", "debian", e.path().filename().string(),
                             (e.path() / "vmlinuz").string());
  }
  return k_exit_pass;
}

}  // namespace numalab::cli
