#include "bundle/bundle_contents.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "bundle/bundle_kernel.hpp"
#include "bundle/bundle_seeds.hpp"
#include "kernel/kernel_resolver.hpp"
#include "lab/lab.hpp"
#include "monitor/kernel_report.hpp"
#include "util/file_contents.hpp"
#include "util/json_text.hpp"

namespace numalab::bundle {

namespace {

constexpr std::size_t k_max_console_read = 64u << 20;  // console logs are capped at 64 MiB

std::string read_text(const std::filesystem::path& file) {
  return util::read_file(file, k_max_console_read).value_or("");  // no console log: no reports
}

void add_machine(const result::MachineResult& m, const std::filesystem::path& run_dir,
                 const BundleRequest& req, BundlePlan& plan) {
  auto& entries = plan.entries;
  const auto dir = run_dir / m.name;
  const std::string prefix = "machines/" + m.name + "/";
  auto kernel = kernel_evidence(m.kernel);
  add_file_if_present(entries, prefix + "kernel.config", kernel_config_file(m.kernel));
  for (const char* name : {"qemu-argv.json", "agent.jsonl", "console.log", "qemu.log", "capture.json",
                           "hang-report.txt", "registers-1.txt", "registers-2.txt"})
    add_file_if_present(entries, prefix + name, dir / name);
  entries.push_back(
      {prefix + "reports.json", {}, util::json_document(reports_json(read_text(dir / "console.log")))});
  if (req.with_dump) {
    if (!add_file_if_present(entries, prefix + "vmcore", dir / "vmcore"))
      plan.manifest.notes.push_back(m.name + ": no memory dump in the run folder");
    add_file_if_present(entries, prefix + "vmlinux", dir / "vmlinux");
  }
  if (req.with_kernel) {
    if (m.kernel.name == "debian")
      plan.manifest.notes.push_back(m.name +
                                    ": Debian's packaged kernel is not bundled (it needs its modules); "
                                    "repro uses the cached one and checks its sha256");
    else if (add_file_if_present(entries, prefix + "bzImage", m.kernel.path))
      kernel.image = prefix + "bzImage";
    else
      plan.manifest.notes.push_back(m.name + ": kernel image " + m.kernel.path + " is gone: not bundled");
  }
  entries.push_back({prefix + "kernel.json", {}, util::json_document(to_json(kernel))});
  plan.manifest.machines.push_back({m.name, std::move(kernel)});
}

// The [kernel.NAME] tables the machines booted: their series and fragments.
void add_kernel_sources(const lab::Lab& lab, const result::RunResult& run, BundlePlan& plan) {
  const auto root = kernel::project_root_of(run.lab_file);
  std::set<std::string> done;
  for (const auto& m : plan.manifest.machines) {
    auto spec = lab.kernels.find(m.kernel.name);
    if (spec == lab.kernels.end() || !done.insert(spec->first).second) continue;
    auto s = add_series(spec->second, root, m.kernel.series_hash, plan.entries, plan.manifest.notes);
    if (!s.entry.empty()) plan.manifest.series.push_back(std::move(s));
    add_fragments(spec->second, root, plan.entries, plan.manifest.notes);
  }
}

void fill_identity(const BundleRequest& req, BundleManifest& m) {
  const auto& run = req.run;
  m.numalab_version = req.numalab_version;
  m.run_id = run.run_id;
  m.lab = run.lab;
  m.lab_file = run.lab_file;
  m.verdict = std::string(result::to_string(run.verdict));
  m.reason = run.reason;
  m.started_at = run.started_at;
  m.duration_s = run.duration_s;
  m.created_at = req.created_at;
  m.with_dump = req.with_dump;
  m.with_kernel = req.with_kernel;
}

std::uint64_t entry_bytes(const BundleEntry& e) {
  if (e.source.empty()) return e.text.size();
  std::error_code ec;
  const auto n = std::filesystem::file_size(e.source, ec);
  return ec ? 0 : n;
}

}  // namespace

nlohmann::json reports_json(std::string_view console_log) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : monitor::parse_kernel_reports(console_log))
    out.push_back({{"kind", r.kind},
                   {"title", r.title},
                   {"first_line", r.first_line},
                   {"task", r.task},
                   {"pid", r.pid},
                   {"cpu", r.cpu},
                   {"stack", r.stack},
                   {"console_line", r.line_number}});
  return out;
}

util::Result<BundlePlan> plan_bundle(const BundleRequest& req) {
  const std::filesystem::path run_dir = req.run.run_dir;
  std::error_code ec;
  if (!std::filesystem::is_directory(run_dir, ec))
    return util::fail(util::ErrorKind::bad_input, "run " + req.run.run_id + ": its folder " +
                                                      run_dir.string() + " is gone; nothing to bundle");
  BundlePlan plan;
  fill_identity(req, plan.manifest);
  std::optional<lab::Lab> lab;
  if (add_file_if_present(plan.entries, "lab.toml", run_dir / "lab.toml")) {
    auto parsed = lab::parse_lab_text(read_text(run_dir / "lab.toml"), req.run.lab_file);
    if (parsed)
      lab = std::move(*parsed);
    else
      plan.manifest.notes.push_back("lab.toml does not parse any more: " + parsed.error().message);
  } else {
    plan.manifest.notes.emplace_back("the run folder has no lab.toml");
  }
  if (!add_file_if_present(plan.entries, "summary.json", run_dir / "summary.json"))
    plan.entries.push_back({"summary.json", {}, util::json_document(result::to_summary_json(req.run))});
  for (const auto& m : req.run.machines) add_machine(m, run_dir, req, plan);
  if (lab) {
    add_kernel_sources(*lab, req.run, plan);
    if (auto seeds = find_seeds(*lab, req.run, run_dir); !seeds.empty())
      plan.entries.push_back({"seeds.json", {}, util::json_document(seeds)});
  }
  for (const auto& e : plan.entries) plan.manifest.files.push_back({e.name, entry_bytes(e)});
  plan.entries.push_back({"bundle.json", {}, util::json_document(to_json(plan.manifest))});
  return plan;
}

}  // namespace numalab::bundle
