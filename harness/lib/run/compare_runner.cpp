#include "run/compare_runner.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kernel/build_record.hpp"
#include "kernel/kernel_resolver.hpp"
#include "report/compare_loading.hpp"
#include "run/run_pool.hpp"
#include "run/run_preparation.hpp"
#include "util/sha256.hpp"
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
  const auto merged = kernel::read_build_record(k.build_dir).value_or(kernel::BuildRecord{});
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

// The compare to continue, checked against this lab file; or a new compare's request, checked.
util::Result<store::CompareRecord> open_record(const lab::Lab& lab, const std::string& lab_sha,
                                               const CompareRequest& req, store::ResultsStore& store) {
  store::CompareRecord record;
  if (!req.resume) {
    if (req.kernels.size() < 2)
      return fail(
          ErrorKind::bad_input,
          "compare needs at least two --kernel (the first is the baseline; the same kernel twice is an "
          "A/A comparison)");
    if (req.repeat < 1) return fail(ErrorKind::bad_input, "--repeat must be at least 1");
    return record;
  }
  auto loaded = store.load_compare(*req.resume);
  if (!loaded) return std::unexpected(loaded.error());
  if (!*loaded)
    return fail(ErrorKind::bad_input,
                "no compare " + *req.resume + " to resume (numalab compare --list shows them)");
  record = std::move(**loaded);
  if (record.lab_sha256 != lab_sha)
    return fail(ErrorKind::bad_input,
                lab.file.string() + " is not the lab file compare " + record.compare_id + " started with (" +
                    record.lab_file + ", changed since?): resuming would mix two labs; start a new compare");
  return record;
}

// Each kernel resolved once, in order. On resume, each must be the image the compare started with.
util::Result<std::vector<kernel::ResolvedKernel>> resolve_all(const std::vector<std::string>& names,
                                                              const store::CompareRecord& record,
                                                              const KernelResolver& resolve) {
  std::vector<kernel::ResolvedKernel> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto k = resolve(names[i]);
    if (!k) return std::unexpected(k.error());
    if (!record.compare_id.empty()) {
      const auto was = report::kernel_from_json(record.kernels[i]);
      if (was.sha256 != k->sha256)
        return fail(ErrorKind::bad_input, "kernel " + names[i] + " is not the one compare " +
                                              record.compare_id + " started with (image sha256 " +
                                              was.sha256.substr(0, 12) + ", now " + k->sha256.substr(0, 12) +
                                              "): its lab table or series changed; start a new compare");
    }
    out.push_back(std::move(*k));
  }
  return out;
}

util::Result<void> begin_record(const lab::Lab& lab, const std::string& lab_sha, const CompareRequest& req,
                                bool side_by_side, const std::vector<kernel::ResolvedKernel>& kernels,
                                store::CompareRecord& record, store::ResultsStore& store) {
  record.lab = lab.name;
  record.lab_file = lab.file.string();
  record.lab_sha256 = lab_sha;
  record.started_at = util::utc_timestamp();
  record.repeat = req.repeat;
  auto stats = req.stats;
  stats.side_by_side = side_by_side;
  record.options = report::options_json(stats);
  for (const auto& k : kernels) record.kernels.push_back(report::to_json(identity_of(k, lab)));
  record.machines = machines_json(lab);
  record.plan = interleaved_plan(kernels.size(), req.repeat);
  auto id = store.begin_compare(record);
  if (!id) return std::unexpected(id.error());
  record.compare_id = *id;
  return {};
}

struct PlannedRuns {
  const lab::Lab& lab;
  store::CompareRecord& record;
  const std::vector<std::string>& names;
  const std::vector<kernel::ResolvedKernel>& kernels;
  const std::vector<PreparedRun>& prepared;  // each kernel's, in the same order
  bool slots;                                // each repetition's runs start together
  const PoolLimits& limits;
  const RunSettings& settings;
  RunEnvironment& env;
};

// Every kernel's guest images and accelerator, once: every run of a kernel boots the same ones.
util::Result<std::vector<PreparedRun>> prepare_kernels(const lab::Lab& lab,
                                                       const std::vector<kernel::ResolvedKernel>& kernels,
                                                       RunEnvironment& env) {
  std::vector<PreparedRun> out;
  for (const auto& k : kernels) {
    auto p = env.prepare(lab, same_kernel_everywhere(lab, k));
    if (!p) return std::unexpected(p.error());
    out.push_back(std::move(*p));
  }
  return out;
}

// Whether one repetition of every kernel (a slot) runs at the same time; a note says why not when
// the user asked for more than one run at once.
bool side_by_side(const std::vector<PreparedRun>& prepared, const PoolLimits& limits, StatusSink& status) {
  const int n = static_cast<int>(prepared.size());
  RunCost slot;
  for (const auto& p : prepared) slot = slot + cost_of(p);
  const auto why = why_not_side_by_side(n, slot, limits);
  if (why.empty()) {
    std::string text =
        fmt::format("runs side by side: one repetition of each of the {} kernels at a time", n);
    // Measured (lab/default.toml, TCG, 2 cores, 5 runs each): numab-fast-scan's numa_pte_updates
    // was +290 % and significant one at a time, +50 % and not significant side by side on 8 vCPU
    // threads.
    if (slot.vcpus > limits.host.cores)
      text += fmt::format(
          "; {} vCPU threads on {} core{} (--oversubscribe): what a guest kernel does on a timer (NUMA "
          "balancing's scanner) gets less CPU, which can hide a change (numab-fast-scan's numa_pte_updates, "
          "+290 % one at a time, was +50 % and not significant side by side)",
          slot.vcpus, limits.host.cores, limits.host.cores == 1 ? "" : "s");
    status.on(Note{text});
    return true;
  }
  if (limits.jobs != 1) status.on(Note{"runs one at a time: " + why});
  return false;
}

// The plan's missing runs, in order, as many at once as the limits allow. Returns the signal that
// stopped them, or 0.
util::Result<int> run_planned(const PlannedRuns& in, double& elapsed_s) {
  const auto t0 = in.env.clock.now();
  auto elapsed = [&] { return std::chrono::duration<double>(in.env.clock.now() - t0).count(); };
  std::vector<store::ComparePlanRow*> rows;
  std::vector<PoolJob> jobs;
  for (auto& row : in.record.plan) {
    if (row.run_id) continue;
    rows.push_back(&row);
    jobs.push_back(
        {&in.lab, &in.prepared[static_cast<std::size_t>(row.kernel)], in.slots ? row.repetition : row.seq});
  }
  CompareRun p;
  p.running = 0;
  p.total = static_cast<int>(in.record.plan.size());
  for (const auto& row : in.record.plan) p.done += row.run_id.has_value();
  int finished = 0;  // this session
  auto progress = [&](const store::ComparePlanRow& row) {
    p.seq = row.seq;
    p.kernel = in.names[static_cast<std::size_t>(row.kernel)];
    p.repetition = row.repetition;
    p.elapsed_s = elapsed();
    if (finished > 0) p.remaining_s = p.elapsed_s / finished * (p.total - p.done);
    return p;
  };
  PoolHooks hooks;
  hooks.starting = [&](std::size_t job) -> util::Result<void> {
    ++p.running;
    in.env.status.on(CompareRunStarting{progress(*rows[job])});
    return same_image(in.kernels[static_cast<std::size_t>(rows[job]->kernel)]);
  };
  hooks.ended = [&](std::size_t job, const RunOutcome& outcome) -> util::Result<void> {
    --p.running;
    if (outcome.interrupted_by) return {};  // that run is not a result: a resume runs it again
    auto& row = *rows[job];
    if (auto ok = in.env.store.record_compare_run(in.record.compare_id, row.seq, outcome.result.run_id); !ok)
      return std::unexpected(ok.error());
    row.run_id = outcome.result.run_id;
    ++finished;
    ++p.done;
    in.env.status.on(CompareRunEnded{progress(row), outcome.result.run_id, outcome.result.verdict,
                                     outcome.result.duration_s});
    return {};
  };
  auto signal = run_pool(jobs, in.limits, hooks, in.settings, in.env);
  elapsed_s = elapsed();
  return signal;
}

}  // namespace

KernelResolver kernel_resolver(const lab::Lab& lab, const RunSettings& settings, StatusSink& status,
                               util::StopRequest& stop) {
  kernel::BuildOptions build{kernel::project_root_of(lab.file), settings.cache_dir, 0, status.build_events(),
                             &stop};
  return [&lab, build](const std::string& name) {
    return kernel::resolve_kernel(name, lab, std::filesystem::current_path(), build);
  };
}

std::vector<store::ComparePlanRow> interleaved_plan(std::size_t kernels, int repeat) {
  std::vector<store::ComparePlanRow> plan;
  int seq = 0;
  for (int rep = 1; rep <= repeat; ++rep)
    for (std::size_t k = 0; k < kernels; ++k) plan.push_back({++seq, static_cast<int>(k), rep, std::nullopt});
  return plan;
}

util::Result<void> same_image(const kernel::ResolvedKernel& k) {
  auto sha = util::sha256_file(k.image);
  if (!sha)
    return fail(ErrorKind::cannot_run, "kernel " + k.name + ": its image " + k.image.string() +
                                           " is gone since the compare resolved it (" + sha.error().message +
                                           "); numalab kernels --prune while it ran?");
  if (*sha != k.sha256)
    return fail(ErrorKind::cannot_run, "kernel " + k.name + ": its image " + k.image.string() +
                                           " changed since the compare resolved it (sha256 " +
                                           k.sha256.substr(0, 12) + ", now " + sha->substr(0, 12) +
                                           "); the compare stops rather than mix two kernels");
  return {};
}

util::Result<CompareOutcome> run_compare(const lab::Lab& lab, const CompareRequest& req, const RunSettings& s,
                                         RunEnvironment& env, const KernelResolver& resolve) {
  auto lab_sha = lab_text_sha256(lab);
  if (!lab_sha) return std::unexpected(lab_sha.error());
  auto record = open_record(lab, *lab_sha, req, env.store);
  if (!record) return std::unexpected(record.error());
  std::vector<std::string> names = req.kernels;
  if (req.resume) {
    names.clear();
    for (const auto& k : record->kernels) names.push_back(k.value("name", ""));
  }
  auto kernels = resolve_all(names, *record, resolve);
  if (!kernels) return std::unexpected(kernels.error());
  auto prepared = prepare_kernels(lab, *kernels, env);
  if (!prepared) return std::unexpected(prepared.error());
  if (env.stop.requested()) return fail(ErrorKind::interrupted, "interrupted before the compare's first run");
  const bool slots = side_by_side(*prepared, req.limits, env.status);
  if (!req.resume)
    if (auto begun = begin_record(lab, *lab_sha, req, slots, *kernels, *record, env.store); !begun)
      return std::unexpected(begun.error());

  double elapsed = 0;
  auto interrupted_by =
      run_planned({lab, *record, names, *kernels, *prepared, slots, req.limits, s, env}, elapsed);
  if (!interrupted_by) return std::unexpected(interrupted_by.error());
  const bool complete = std::all_of(record->plan.begin(), record->plan.end(),
                                    [](const auto& r) { return r.run_id.has_value(); });
  if (auto ok = env.store.end_compare(record->compare_id, complete ? "complete" : "interrupted",
                                      record->duration_s + elapsed);
      !ok)
    return std::unexpected(ok.error());
  auto report = report::load_compare_report(env.store, record->compare_id);
  if (!report) return std::unexpected(report.error());
  return CompareOutcome{std::move(**report), *interrupted_by};
}

}  // namespace numalab::run
