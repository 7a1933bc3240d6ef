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
#include "run/lab_runner.hpp"
#include "util/cache_dir.hpp"
#include "util/child_process.hpp"
#include "util/temp_dir.hpp"
#include "util/utc_time.hpp"

namespace numalab::cli {

namespace {

void say(const std::string& line) { std::cerr << "  " << line << "\n"; }

// "7" is run 0007, as numalab show takes it.
std::string full_run_id(const std::string& id) {
  if (!id.empty() && id.find_first_not_of("0123456789") == std::string::npos && id.size() < 4)
    return std::string(4 - id.size(), '0') + id;
  return id;
}

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
  std::ifstream in(dir / "bundle.json");
  return bundle::manifest_from_json(nlohmann::json::parse(in, nullptr, false));
}

}  // namespace

int cmd_bundle(const BundleArgs& args) {
  auto store = open_store(args.results);
  if (!store) return report_error(store.error());
  const auto id = full_run_id(args.run);
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

int cmd_repro(const ReproArgs& args) {
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

  const auto cache = util::cache_dir();
  auto lab = bundle::rebuild_lab(*dir, *manifest, {{}, cache, 0, interactive(), say});
  if (!lab) return report_error(lab.error());
  for (const auto& note : lab->notes) std::cout << "kernel " << note << "\n";
  auto store = open_store(args.results);
  if (!store) return report_error(store.error());

  run::RunOptions opt;
  opt.results_dir = args.results;
  opt.cache_dir = cache;
  opt.agent_binary = agent_binary_path();
  opt.limits.hang_timeout = std::chrono::seconds(args.hang_timeout_s);
  opt.limits.boot_timeout = std::chrono::seconds(args.boot_timeout_s);
  opt.capture.memory_dump = !args.no_dump;
  opt.say = say;
  opt.terminal = interactive();

  const int planned = args.until_fail.value_or(args.runs);
  int done = 0, hits = 0;
  std::vector<double> times;
  int interrupted_by = 0;
  while (done < planned) {
    auto outcome = run::run_lab(lab->lab, opt, **store);
    if (!outcome) return report_error(outcome.error());
    const auto& r = outcome->result;
    if (outcome->interrupted_by) {
      interrupted_by = outcome->interrupted_by;
      std::cout << fmt::format("repro {} of {}: run {} interrupted by signal {}\n", done + 1, planned,
                               r.run_id, interrupted_by);
      break;
    }
    ++done;
    const bool hit = r.verdict == *expected;
    hits += hit;
    const auto ttf = bundle::time_to_failure(r);
    if (hit && ttf) times.push_back(*ttf);
    std::cout << fmt::format("repro {} of {}: run {} {} ({}){}{}\n", done, planned, r.run_id,
                             result::to_string(r.verdict), hit ? "reproduced" : "not reproduced",
                             ttf ? fmt::format(" after {:.1f} s", *ttf) : std::string(),
                             r.reason.empty() ? std::string() : ": " + r.reason)
              << std::flush;
    if (args.until_fail && hit) break;
  }
  if (done > 0) std::cout << bundle::format_reproduction_rate(hits, done) << "\n";
  if (const auto t = bundle::format_failure_times(times); !t.empty()) std::cout << t << "\n";
  if (interrupted_by) return 128 + interrupted_by;
  return hits > 0 ? k_exit_pass : k_exit_fail;
}

}  // namespace numalab::cli
