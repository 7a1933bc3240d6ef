#include "run/compare_runner.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kernel/kernel_resolver.hpp"
#include "report/compare_statistics.hpp"
#include "util/sha256.hpp"
#include "util/signal_catcher.hpp"
#include "util/utc_time.hpp"

namespace numalab::run {

using util::ErrorKind;
using util::fail;

namespace {

util::Result<std::string> lab_text_sha256(const lab::Lab& lab) {
  std::ifstream in(lab.file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return fail(ErrorKind::bad_input, "cannot read " + lab.file.string());
  return util::sha256_hex(text.str());
}

// Where a built kernel came from, from the meta.json numalab wrote beside it.
report::CompareKernel identity_of(const kernel::ResolvedKernel& k, const lab::Lab& lab) {
  report::CompareKernel out{k.name, k.release, k.sha256, k.cache_key, "", "", "", {}};
  if (k.build_dir.empty()) {
    out.base = k.name == "debian" ? "debian linux-image (packaged)" : "prebuilt " + k.image.string();
    return out;
  }
  std::ifstream in(k.build_dir / "meta.json");
  const auto meta = nlohmann::json::parse(in, nullptr, false);
  auto merged = report::kernel_from_json(meta);
  out.base = merged.base;
  // The series as this lab names it (the cache entry may have been built from another lab).
  const auto spec = lab.kernels.find(k.name);
  out.series = spec != lab.kernels.end() ? spec->second.series : merged.series;
  out.series_hash = merged.series_hash;
  out.config = merged.config;
  return out;
}

nlohmann::json machines_json(const lab::Lab& lab) {
  auto out = nlohmann::json::array();
  for (const auto& m : lab.machines) out.push_back({{"name", m.name}, {"topology", m.topology()}});
  return out;
}

util::Result<std::vector<report::CompareKernel>> resolve_kernels(const lab::Lab& lab,
                                                                 const std::vector<std::string>& names,
                                                                 const RunOptions& opt) {
  kernel::BuildOptions build{kernel::project_root_of(lab.file), opt.cache_dir, 0, opt.terminal, opt.say};
  std::vector<report::CompareKernel> out;
  for (const auto& name : names) {
    auto k = kernel::resolve_kernel(name, lab, std::filesystem::current_path(), build);
    if (!k) return std::unexpected(k.error());
    out.push_back(identity_of(*k, lab));
  }
  return out;
}

std::string fmt_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

}  // namespace

std::vector<store::ComparePlanRow> interleaved_plan(std::size_t kernels, int repeat) {
  std::vector<store::ComparePlanRow> plan;
  int seq = 0;
  for (int rep = 1; rep <= repeat; ++rep)
    for (std::size_t k = 0; k < kernels; ++k) plan.push_back({++seq, static_cast<int>(k), rep, std::nullopt});
  return plan;
}

util::Result<std::optional<report::CompareReport>> load_compare_report(store::ResultsStore& store,
                                                                       const std::string& compare_id) {
  auto record = store.load_compare(compare_id);
  if (!record) return std::unexpected(record.error());
  if (!*record) return std::optional<report::CompareReport>{};
  const auto& rec = **record;
  report::CompareReport r;
  r.compare_id = rec.compare_id;
  r.lab = rec.lab;
  r.lab_file = rec.lab_file;
  r.started_at = rec.started_at;
  r.duration_s = rec.duration_s;
  r.repeat = rec.repeat;
  r.options = report::options_from_json(rec.options);
  if (rec.kernels.is_array())
    for (const auto& k : rec.kernels) r.kernels.push_back(report::kernel_from_json(k));
  if (rec.machines.is_array())
    for (const auto& m : rec.machines) {
      report::CompareMachine machine;
      machine.name = m.value("name", "");
      if (m.contains("topology")) machine.topology = m["topology"].get<model::Topology>();
      r.machines.push_back(std::move(machine));
    }
  for (const auto& row : rec.plan) {
    if (row.kernel < 0 || static_cast<std::size_t>(row.kernel) >= r.kernels.size())
      return fail(ErrorKind::cannot_run, "compare " + rec.compare_id + " plans a run on kernel #" +
                                             std::to_string(row.kernel) + ", which it does not list");
    report::CompareRun run{row.seq, static_cast<std::size_t>(row.kernel), row.repetition, std::nullopt};
    if (row.run_id) {
      auto loaded = store.load_run(*row.run_id);
      if (!loaded) return std::unexpected(loaded.error());
      run.result = std::move(*loaded);
    }
    r.runs.push_back(std::move(run));
  }
  // The kernel release as the guests reported it.
  for (const auto& run : r.runs)
    if (run.result && r.kernels[run.kernel].release.empty())
      for (const auto& m : run.result->machines)
        if (!m.kernel.release.empty()) r.kernels[run.kernel].release = m.kernel.release;
  report::compute_statistics(r);
  return std::optional<report::CompareReport>{std::move(r)};
}

util::Result<CompareOutcome> run_compare(const lab::Lab& lab, const CompareRequest& req,
                                         const RunOptions& opt, store::ResultsStore& store,
                                         const std::function<void(const CompareProgress&)>& progress) {
  auto lab_sha = lab_text_sha256(lab);
  if (!lab_sha) return std::unexpected(lab_sha.error());

  store::CompareRecord record;
  if (req.resume) {
    auto loaded = store.load_compare(*req.resume);
    if (!loaded) return std::unexpected(loaded.error());
    if (!*loaded)
      return fail(ErrorKind::bad_input,
                  "no compare " + *req.resume + " to resume (numalab compare --list shows them)");
    record = std::move(**loaded);
    if (record.lab_sha256 != *lab_sha)
      return fail(ErrorKind::bad_input,
                  lab.file.string() + " is not the lab file compare " + record.compare_id +
                      " started with (" + record.lab_file +
                      ", changed since?): resuming would mix two labs; start a new compare");
  } else {
    if (req.kernels.size() < 2)
      return fail(ErrorKind::bad_input,
                  "compare needs at least two --kernel (the first is the baseline; the "
                  "same kernel twice is an A/A comparison)");
    if (req.repeat < 1) return fail(ErrorKind::bad_input, "--repeat must be at least 1");
  }
  std::vector<std::string> names;
  if (req.resume) {
    for (const auto& k : record.kernels) names.push_back(k.value("name", ""));
  } else {
    names = req.kernels;
  }
  auto kernels = resolve_kernels(lab, names, opt);
  if (!kernels) return std::unexpected(kernels.error());
  if (req.resume) {
    for (std::size_t i = 0; i < kernels->size(); ++i) {
      const auto was = report::kernel_from_json(record.kernels[i]);
      if (was.sha256 != (*kernels)[i].sha256)
        return fail(ErrorKind::bad_input, "kernel " + names[i] + " is not the one compare " +
                                              record.compare_id + " started with (image sha256 " +
                                              was.sha256.substr(0, 12) + ", now " +
                                              (*kernels)[i].sha256.substr(0, 12) +
                                              "): its lab table or series changed; start a new compare");
    }
  } else {
    record.lab = lab.name;
    record.lab_file = lab.file.string();
    record.lab_sha256 = *lab_sha;
    record.started_at = util::utc_timestamp();
    record.repeat = req.repeat;
    record.options = report::options_json(req.stats);
    for (const auto& k : *kernels) record.kernels.push_back(report::to_json(k));
    record.machines = machines_json(lab);
    record.plan = interleaved_plan(kernels->size(), req.repeat);
    auto id = store.begin_compare(record);
    if (!id) return std::unexpected(id.error());
    record.compare_id = *id;
  }

  const auto t0 = util::SteadyClock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(util::SteadyClock::now() - t0).count(); };
  CompareProgress p;
  p.total = static_cast<int>(record.plan.size());
  for (const auto& row : record.plan) p.done += row.run_id.has_value();
  double run_seconds = 0;
  int runs_this_session = 0;
  int interrupted_by = 0;
  // Between runs too, Ctrl-C must end the compare cleanly (the table so far, how to resume): a
  // signal that arrives while a run prepares reaches run_lab's own catcher as soon as it starts.
  util::SignalCatcher signals;
  for (auto& row : record.plan) {
    if (row.run_id) continue;
    if ((interrupted_by = signals.take()) != 0) break;
    p.seq = row.seq;
    p.kernel = names[static_cast<std::size_t>(row.kernel)];
    p.repetition = row.repetition;
    p.activity = "starting";
    p.elapsed_s = elapsed();
    const int left = p.total - p.done;
    if (runs_this_session > 0) p.remaining_s = run_seconds / runs_this_session * left;
    progress(p);

    RunOptions run_opt = opt;
    run_opt.kernel_override = p.kernel;
    run_opt.say = [&](const std::string& line) {
      p.activity = line;
      p.elapsed_s = elapsed();
      progress(p);
    };
    const auto started = util::SteadyClock::now();
    auto outcome = run_lab(lab, run_opt, store);
    if (!outcome) return std::unexpected(outcome.error());
    if (outcome->interrupted_by) {
      interrupted_by = outcome->interrupted_by;  // that run is not a result: a resume runs it again
      break;
    }
    if (auto ok = store.record_compare_run(record.compare_id, row.seq, outcome->result.run_id); !ok)
      return std::unexpected(ok.error());
    row.run_id = outcome->result.run_id;
    run_seconds += std::chrono::duration<double>(util::SteadyClock::now() - started).count();
    ++runs_this_session;
    ++p.done;
    p.activity = std::string(result::to_string(outcome->result.verdict)) + " in " +
                 fmt_seconds(outcome->result.duration_s) + " (run " + outcome->result.run_id + ")";
    p.elapsed_s = elapsed();
    p.remaining_s = run_seconds / runs_this_session * (p.total - p.done);
    progress(p);
  }
  if (interrupted_by == 0) interrupted_by = signals.take();  // after the last run: still an interrupt
  const bool complete = p.done == p.total;
  const std::string state = complete ? "complete" : "interrupted";
  if (auto ok = store.end_compare(record.compare_id, state, record.duration_s + elapsed()); !ok)
    return std::unexpected(ok.error());
  auto report = load_compare_report(store, record.compare_id);
  if (!report) return std::unexpected(report.error());
  return CompareOutcome{std::move(**report), interrupted_by};
}

}  // namespace numalab::run
