#include "cli/commands.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "capture/evidence_files.hpp"
#include "cli/cli_support.hpp"
#include "cli/exit_status.hpp"
#include "cli/run_text.hpp"
#include "cli/status_printer.hpp"
#include "kernel/kernel_resolver.hpp"
#include "kernel/kernel_store.hpp"
#include "lab/lab.hpp"
#include "run/lab_runner.hpp"
#include "run/run_preparation.hpp"
#include "store/run_id.hpp"
#include "store/store.hpp"
#include "util/cache_dir.hpp"
#include "util/file_contents.hpp"
#include "util/json_text.hpp"

namespace numalab::cli {

std::filesystem::path agent_binary_path() {
  if (const char* a = std::getenv("NUMALAB_AGENT"); a && *a) return a;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return self.parent_path() / "numalab-agent";
}

int cmd_run(const RunArgs& args, util::StopRequest& stop) {
  auto lab = lab::parse_lab_file(args.lab);
  if (!lab) return report_error(lab.error());
  auto store = open_store(args.results);
  if (!store) return report_error(store.error());

  const auto settings =
      run_settings(args.results, args.hang_timeout_s, args.boot_timeout_s, !args.no_dump, args.boot);
  StatusPrinter printer(std::cout, std::cerr, interactive());
  std::cerr << "numalab: running " << args.lab.string() << " (lab " << lab->name << ")\n";
  kernel::BuildOptions build{kernel::project_root_of(lab->file), settings.cache_dir, 0,
                             printer.build_events(), &stop};
  auto kernels = run::resolve_lab_kernels(*lab, args.kernel, build);
  if (!kernels) return report_error(kernels.error(), stop);
  SystemParts system;
  auto env = system.environment(**store, printer, stop, settings);
  auto outcome = run::run_lab(*lab, *kernels, settings, env);
  printer.end_line();
  if (!outcome) return report_error(outcome.error(), stop);

  std::cout << format_run(outcome->result, ::isatty(STDOUT_FILENO) == 1);
  for (const auto& line : capture::evidence_lines(outcome->result.run_dir))
    std::cout << "evidence " << line << "\n";
  if (args.json) {
    const auto summary = util::json_document(result::to_summary_json(outcome->result));
    if (auto w = util::write_file(*args.json, summary); !w) return report_error(w.error());
  }
  if (outcome->interrupted_by) return 128 + outcome->interrupted_by;
  return exit_status_for(outcome->result.verdict);
}

int cmd_build(const BuildArgs& args, util::StopRequest& stop) {
  auto lab = lab::parse_lab_file(args.lab);
  if (!lab) return report_error(lab.error());
  std::vector<std::string> names = args.kernels;
  if (names.empty())
    for (const auto& [name, spec] : lab->kernels) names.push_back(name);
  if (names.empty())
    for (const auto& m : lab->machines) names.push_back(m.kernel);
  StatusPrinter printer(std::cout, std::cerr, interactive());
  kernel::BuildOptions build{kernel::project_root_of(lab->file), util::cache_dir(), 0, printer.build_events(),
                             &stop};
  for (const auto& name : names) {
    auto k = kernel::resolve_kernel(name, *lab, std::filesystem::current_path(), build);
    printer.end_line();
    if (!k) return report_error(k.error(), stop);
    std::cout << fmt::format("{:<20} {}\n", name, k->image.string());
  }
  return k_exit_pass;
}

int cmd_list(const std::filesystem::path& results, int limit) {
  auto store = open_store(results);
  if (!store) return report_error(store.error());
  auto rows = (*store)->list_runs(limit);
  if (!rows) return report_error(rows.error());
  if (rows->empty()) {
    std::cout << "no runs in " << (results / "numalab.db").string()
              << " yet: try numalab run lab/default.toml\n";
    return k_exit_pass;
  }
  std::cout << fmt::format("{:<6} {:<20} {:<20} {:<8} {:>8}  {}\n", "RUN", "STARTED", "LAB", "VERDICT",
                           "SECONDS", "KERNELS");
  for (const auto& r : *rows)
    std::cout << fmt::format("{:<6} {:<20} {:<20} {:<8} {:>8.1f}  {}\n", r.run_id, r.started_at, r.lab,
                             r.verdict, r.duration_s, r.kernels);
  return k_exit_pass;
}

int cmd_show(const std::filesystem::path& results, const std::string& run_id, bool as_json) {
  auto store = open_store(results);
  if (!store) return report_error(store.error());
  auto run = (*store)->load_run(store::canonical_run_id(run_id));
  if (!run) return report_error(run.error());
  if (!*run)
    return report_error(
        {util::ErrorKind::bad_input,
         "no run " + run_id + " in " + (results / "numalab.db").string() + " (numalab list shows the runs)"});
  if (as_json)
    std::cout << util::json_document(result::to_summary_json(**run));
  else
    std::cout << format_run(**run, ::isatty(STDOUT_FILENO) == 1);
  if (!as_json)
    for (const auto& line : capture::evidence_lines((*run)->run_dir))
      std::cout << "evidence " << line << "\n";
  return k_exit_pass;
}

int cmd_kernels(bool prune, const std::vector<std::filesystem::path>& labs) {
  const auto cache = util::cache_dir();
  if (prune) {
    // The lab files in use: those given, else every lab/*.toml of this project.
    std::vector<std::filesystem::path> files = labs;
    std::error_code ec;
    if (files.empty())
      for (const auto& e : std::filesystem::directory_iterator("lab", ec))
        if (e.path().extension() == ".toml") files.push_back(e.path());
    std::set<std::string> in_use;
    for (const auto& f : files) {
      auto lab = lab::parse_lab_file(f);
      if (!lab) return report_error(lab.error());
      for (const auto& [name, spec] : lab->kernels) in_use.insert(name);
    }
    for (const auto& k : kernel::prune_built_kernels(cache, in_use))
      std::cout << fmt::format("removed {:<20} {}  {:.0f} MB\n", k.name, k.key,
                               static_cast<double>(k.bytes) / 1e6);
    return k_exit_pass;
  }
  std::cout << fmt::format("{:<20} {:<24} {:<34} {:<26} {:<20} {:>7}\n", "NAME", "KEY", "BASE", "SERIES",
                           "BUILT", "SIZE");
  const auto debian = cache / "kernels" / "debian" / "current";
  if (std::filesystem::exists(debian / ".complete")) {
    std::string release;
    std::ifstream(debian / "release") >> release;
    std::cout << fmt::format("{:<20} {:<24} {:<34} {:<26} {:<20} {:>7}\n", "debian", "-",
                             "Debian linux-image " + release, "-", "(packaged)", "-");
  }
  for (const auto& k : kernel::list_built_kernels(cache))
    std::cout << fmt::format("{:<20} {:<24} {:<34} {:<26} {:<20} {:>4.0f} MB\n", k.name, k.key, k.base,
                             k.series.empty() ? "-" : k.series, k.built_at,
                             static_cast<double>(k.bytes) / 1e6);
  return k_exit_pass;
}

}  // namespace numalab::cli
