// numalab: a thin main. Parses the command line and hands it to libnumalab's commands.

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/bundle_command.hpp"
#include "cli/commands.hpp"
#include "cli/compare_command.hpp"
#include "cli/exit_status.hpp"
#include "util/signal_catcher.hpp"

namespace {

void add_jobs_options(CLI::App* cmd, numalab::cli::JobsArgs& jobs) {
  cmd->add_option("--jobs", jobs.jobs,
                  "runs at once (default: as many as this host's cores and free memory hold)")
      ->check(CLI::Range(1, 256));
  cmd->add_flag("--oversubscribe", jobs.oversubscribe,
                "run --jobs N at once even beyond this host's cores and free memory (a guest kernel's "
                "timer-driven work, such as NUMA balancing's scanner, then gets less CPU)");
}

void add_boot_option(CLI::App* cmd, std::optional<std::string>& boot) {
  cmd->add_option(
         "--boot", boot,
         "fresh: a cold boot each run; restore: boot each machine once, save it at its agent's hello "
         "(the startup cache) and restore it in every run (default: the lab's `boot`, else fresh)")
      ->check(CLI::IsMember({"fresh", "restore"}));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace numalab::cli;
  // From here to the end, SIGINT, SIGTERM and SIGHUP never end numalab by themselves: every command
  // stops its VMs, stores what it has and exits 128 + the signal (util/signal_catcher.hpp). The
  // catcher is never destroyed: restoring the mask at exit would let a late signal kill numalab
  // after it chose its exit status.
  auto& signals = *new numalab::util::SignalCatcher;
  CLI::App app{"numalab: a QEMU test lab for Linux memory-management and NUMA patch series"};
  app.set_version_flag("--version", std::string("numalab ") + NUMALAB_VERSION);
  app.require_subcommand(1);

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "boot the lab's machines, run its workloads, store the result");
  run_cmd->add_option("lab", run.lab, "lab file (TOML)")->required();
  run_cmd->add_option("--kernel", run.kernel,
                      "kernel for every machine: 'debian', a [kernel.NAME], or a bzImage path");
  run_cmd->add_option("--results", run.results, "results folder (database and run folders)")
      ->capture_default_str();
  run_cmd->add_option("--json", run.json, "write the run's JSON summary to FILE");
  run_cmd->add_option("--hang-timeout", run.hang_timeout_s, "seconds of agent silence that make a hang")
      ->capture_default_str()
      ->check(CLI::Range(2, 3600));
  run_cmd->add_option("--boot-timeout", run.boot_timeout_s, "seconds from QEMU start to the agent's hello")
      ->capture_default_str()
      ->check(CLI::Range(5, 3600));
  run_cmd->add_flag("--no-dump", run.no_dump,
                    "on a hang or crash, take the evidence without the guest memory dump");
  add_boot_option(run_cmd, run.boot);

  BuildArgs build;
  auto* build_cmd = app.add_subcommand("build", "prepare the lab's kernels and guest images, run nothing");
  build_cmd->add_option("lab", build.lab, "lab file (TOML)")->required();
  build_cmd->add_option("--kernel", build.kernels, "only these kernels");

  CompareArgs cmp;
  auto* cmp_cmd = app.add_subcommand(
      "compare", "run the lab on two or more kernels, repeatedly, and compare them with statistics");
  cmp_cmd->add_option("lab", cmp.lab, "lab file (TOML); not needed with --from-db or --list");
  cmp_cmd->add_option("--kernel", cmp.kernels,
                      "a kernel to compare; the first is the baseline ('debian', a [kernel.NAME], a bzImage "
                      "path); the same twice is an A/A comparison");
  cmp_cmd->add_option("--repeat", cmp.repeat, "fresh boots per kernel, interleaved A B A B ...")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  cmp_cmd->add_option(
      "--report", cmp.report_dir,
      "folder for the report (index.html, compare.json, table.txt); default RESULTS/compares/ID");
  cmp_cmd->add_option("--junit", cmp.junit,
                      "write JUnit XML (one test case per workload and kernel) to FILE");
  cmp_cmd->add_option("--kcidb", cmp.kcidb, "write KCIDB JSON (checkouts, builds, tests) to FILE");
  cmp_cmd->add_option("--json", cmp.json, "write the compare document (all runs and statistics) to FILE");
  cmp_cmd->add_flag(
      "--fail-on-regression", cmp.fail_on_regression,
      "exit 1 on any significant regression or functional failure (4 on a hang or crash), and say which");
  cmp_cmd->add_option("--results", cmp.results, "results folder (database and run folders)")
      ->capture_default_str();
  cmp_cmd->add_option(
      "--resume", cmp.resume,
      "continue an interrupted compare (its id, like c0003) without redoing its finished runs");
  cmp_cmd->add_option("--from-db", cmp.from_db,
                      "re-render a stored compare (its id) without running anything");
  cmp_cmd->add_flag("--list", cmp.list, "list stored compares, newest first");
  cmp_cmd
      ->add_option("--method", cmp.method,
                   "interval of the ratio: auto (Welch below 50 boots, bootstrap from 50), welch, bootstrap")
      ->capture_default_str();
  cmp_cmd
      ->add_option(
          "--blocking", cmp.blocking,
          "verdicts from within-slot ratios (slot) or the boots as independent samples (none); auto: slot "
          "when the runs of each repetition ran side by side")
      ->check(CLI::IsMember({"auto", "slot", "none"}));
  cmp_cmd->add_flag(
      "--plan", cmp.plan,
      "run nothing: the boots per kernel a change needs on this lab, from its stored A/A compares");
  cmp_cmd->add_option("--change", cmp.change,
                      "the change the sample size is for, in percent (default 10%): --plan and the report");
  cmp_cmd->add_option("--power", cmp.power,
                      "the chance of finding that change (default 0.8): --plan and the report");
  cmp_cmd->add_option("--hang-timeout", cmp.hang_timeout_s, "seconds of agent silence that make a hang")
      ->capture_default_str()
      ->check(CLI::Range(2, 3600));
  cmp_cmd->add_option("--boot-timeout", cmp.boot_timeout_s, "seconds from QEMU start to the agent's hello")
      ->capture_default_str()
      ->check(CLI::Range(5, 3600));
  add_jobs_options(cmp_cmd, cmp.jobs);
  add_boot_option(cmp_cmd, cmp.boot);

  std::filesystem::path results = "results";
  int limit = 50;
  auto* list_cmd = app.add_subcommand("list", "list stored runs, newest first");
  list_cmd->add_option("--results", results, "results folder")->capture_default_str();
  list_cmd->add_option("-n,--limit", limit, "how many runs")->capture_default_str();

  std::string run_id;
  bool as_json = false;
  auto* show_cmd = app.add_subcommand("show", "show one stored run");
  show_cmd->add_option("run", run_id, "run id, as numalab list shows it")->required();
  show_cmd->add_option("--results", results, "results folder")->capture_default_str();
  show_cmd->add_flag("--json", as_json, "print the JSON summary");

  bool prune = false;
  std::vector<std::filesystem::path> prune_labs;
  auto* kernels_cmd = app.add_subcommand("kernels", "list the kernels in numalab's cache");
  kernels_cmd->add_flag(
      "--prune", prune,
      "remove built kernels no lab file in use names (the newest build of each named kernel stays)");
  kernels_cmd->add_option("--lab", prune_labs, "the lab files in use (default: lab/*.toml)");

  BundleArgs bundle;
  auto* bundle_cmd = app.add_subcommand("bundle", "write one stored run into a reproducer archive (tar.gz)");
  bundle_cmd->add_option("run", bundle.run, "run id, as numalab list shows it")->required();
  bundle_cmd->add_option("--results", bundle.results, "results folder")->capture_default_str();
  bundle_cmd->add_option("-o,--output", bundle.output,
                         "the archive to write (default RESULTS/bundles/run-NNNN.tar.gz)");
  bundle_cmd->add_flag("--with-dump", bundle.with_dump,
                       "include the guest memory dump (vmcore) and vmlinux of a hang or crash");
  bundle_cmd->add_flag("--with-kernel", bundle.with_kernel, "include each machine's kernel image (bzImage)");

  ReproArgs repro;
  auto* repro_cmd = app.add_subcommand("repro",
                                       "run a bundle again and report how often its verdict comes back (exit "
                                       "0: it did at least once, 1: never)");
  repro_cmd->add_option("bundle", repro.bundle, "a bundle written by numalab bundle")->required();
  auto* repro_runs = repro_cmd->add_option("--runs", repro.runs, "runs of the bundle")
                         ->capture_default_str()
                         ->check(CLI::Range(1, 1000));
  repro_cmd
      ->add_option("--until-fail", repro.until_fail,
                   "stop at the first run that reproduces the verdict, after at most N runs")
      ->check(CLI::Range(1, 1000))
      ->excludes(repro_runs);
  repro_cmd->add_option("--results", repro.results, "results folder (database and run folders)")
      ->capture_default_str();
  repro_cmd->add_option("--hang-timeout", repro.hang_timeout_s, "seconds of agent silence that make a hang")
      ->capture_default_str()
      ->check(CLI::Range(2, 3600));
  repro_cmd
      ->add_option("--boot-timeout", repro.boot_timeout_s, "seconds from QEMU start to the agent's hello")
      ->capture_default_str()
      ->check(CLI::Range(5, 3600));
  repro_cmd->add_flag("--no-dump", repro.no_dump,
                      "on a hang or crash, take the evidence without the guest memory dump");
  add_jobs_options(repro_cmd, repro.jobs);
  add_boot_option(repro_cmd, repro.boot);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : k_exit_bad_input;
  }
  const auto run_command = [&]() -> int {
    try {
      if (*run_cmd) return cmd_run(run, signals);
      if (*build_cmd) return cmd_build(build, signals);
      if (*cmp_cmd) return cmd_compare(cmp, signals);
      if (*list_cmd) return cmd_list(results, limit);
      if (*show_cmd) return cmd_show(results, run_id, as_json);
      if (*kernels_cmd) return cmd_kernels(prune, prune_labs);
      if (*bundle_cmd) return cmd_bundle(bundle);
      if (*repro_cmd) return cmd_repro(repro, signals);
    } catch (const std::exception& e) {
      std::cerr << "numalab: internal error: " << e.what() << "\n";
      return k_exit_cannot_run;
    }
    return k_exit_bad_input;
  };
  const int status = run_command();
  // A command that finished before it noticed the signal still says that it was interrupted.
  if (const int signal = signals.signal(); signal != 0 && status < 128) return 128 + signal;
  return status;
}
