#include "cli/bundle_command.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bundle/bundle_archive.hpp"
#include "bundle/bundle_contents.hpp"
#include "bundle/repro_lab.hpp"
#include "bundle/reproduction_rate.hpp"
#include "bundle/time_to_failure.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/exit_status.hpp"
#include "cli/status_printer.hpp"
#include "run/repro_runner.hpp"
#include "run/run_preparation.hpp"
#include "store/run_id.hpp"
#include "util/cache_dir.hpp"
#include "util/child_process.hpp"
#include "util/file_contents.hpp"
#include "util/temp_dir.hpp"
#include "util/utc_time.hpp"

namespace numalab::cli {

namespace {

// "0.1.0", with git describe when this numalab was built from a checkout.
std::string numalab_version() {
  std::string v = NUMALAB_VERSION;
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(NUMALAB_DATA_DIR) / ".git", ec)) return v;
  auto d = util::capture_output({"git", "-C", NUMALAB_DATA_DIR, "describe", "--always", "--dirty", "--tags"},
                                util::Deadline::after(std::chrono::seconds(5)));
  if (d && !d->empty()) v += " (git " + d->substr(0, d->find('\n')) + ")";
  return v;
}

std::string size_text(std::uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  return b < 1e6 ? fmt::format("{:.1f} kB", b / 1e3) : fmt::format("{:.1f} MB", b / 1e6);
}

util::Result<bundle::BundleManifest> read_manifest(const std::filesystem::path& dir) {
  const auto text = util::read_file(dir / "bundle.json").value_or("");  // missing: not a manifest
  return bundle::manifest_from_json(nlohmann::json::parse(text, nullptr, false));
}

}  // namespace

int cmd_bundle(const BundleArgs& args) {
  auto store = open_store(args.results);
  if (!store) return report_error(store.error());
  const auto id = store::canonical_run_id(args.run);  // "7" is run 0007, as numalab show takes it
  auto run = (*store)->load_run(id);
  if (!run) return report_error(run.error());
  if (!*run)
    return report_error({util::ErrorKind::bad_input, "no run " + args.run + " in " +
                                                         (args.results / "numalab.db").string() +
                                                         " (numalab list shows the runs)"});
  auto plan = bundle::plan_bundle(
      {**run, args.with_dump, args.with_kernel, numalab_version(), util::utc_timestamp()});
  if (!plan) return report_error(plan.error());
  const auto folder = bundle::bundle_folder_name(id);
  const auto out = args.output.value_or(args.results / "bundles" / (folder + ".tar.gz"));
  auto bytes = bundle::write_bundle_archive(plan->entries, folder, out);
  if (!bytes) return report_error(bytes.error());
  for (const auto& note : plan->manifest.notes) std::cerr << "numalab: note: " << note << "\n";
  std::cout << fmt::format("bundle {} ({}, {} files; run {} {})\n", out.string(), size_text(*bytes),
                           plan->entries.size(), id, plan->manifest.verdict);
  return k_exit_pass;
}

int cmd_repro(const ReproArgs& args, util::StopRequest& stop) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(args.bundle, ec))
    return report_error({util::ErrorKind::bad_input, "bundle " + args.bundle.string() + " does not exist"});
  auto tmp = util::ScopedTempDir::create("numalab-repro-");
  if (!tmp) return report_error(tmp.error());
  auto dir = bundle::unpack_bundle_archive(args.bundle, tmp->path());
  if (!dir) return report_error(dir.error());
  auto manifest = read_manifest(*dir);
  if (!manifest) return report_error(manifest.error());
  const auto expected = result::verdict_from_string(manifest->verdict);
  if (!expected)
    return report_error(
        {util::ErrorKind::bad_input, "bundle.json: unknown verdict '" + manifest->verdict + "'"});
  std::cout << fmt::format("bundle: run {} of lab {}: {}{} (numalab {}, {})\n", manifest->run_id,
                           manifest->lab, manifest->verdict,
                           manifest->reason.empty() ? "" : ": " + manifest->reason, manifest->numalab_version,
                           manifest->created_at);

  const auto settings =
      run_settings(args.results, args.hang_timeout_s, args.boot_timeout_s, !args.no_dump, args.boot);
  StatusPrinter printer(std::cout, std::cerr, interactive());
  kernel::BuildOptions build{{}, settings.cache_dir, 0, printer.build_events(), &stop};
  auto lab = bundle::rebuild_lab(*dir, *manifest, build);
  if (!lab) return report_error(lab.error(), stop);
  for (const auto& note : lab->notes) std::cout << "kernel " << note << "\n";
  auto kernels = run::resolve_lab_kernels(lab->lab, std::nullopt, build);
  if (!kernels) return report_error(kernels.error(), stop);
  auto store = open_store(args.results);
  if (!store) return report_error(store.error());

  SystemParts system;
  auto env = system.environment(**store, printer, stop, settings);
  auto limits = pool_limits(args.jobs);
  if (!limits) return report_error(limits.error());
  const run::ReproRequest request{*expected, args.until_fail.value_or(args.runs), args.until_fail.has_value(),
                                  *limits};
  auto outcome = run::run_repro(lab->lab, *kernels, request, settings, env);
  printer.end_line();
  if (!outcome) return report_error(outcome.error(), stop);
  if (outcome->done > 0) std::cout << bundle::format_reproduction_rate(outcome->hits, outcome->done) << "\n";
  if (const auto t = bundle::format_failure_times(outcome->times); !t.empty()) std::cout << t << "\n";
  if (outcome->interrupted_by) return 128 + outcome->interrupted_by;
  return outcome->hits > 0 ? k_exit_pass : k_exit_fail;
}

}  // namespace numalab::cli
