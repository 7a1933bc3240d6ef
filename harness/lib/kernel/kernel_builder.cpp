#include "kernel/kernel_builder.hpp"

#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "kernel/base_source.hpp"
#include "kernel/build_progress.hpp"
#include "kernel/build_record.hpp"
#include "kernel/kernel_cache_key.hpp"
#include "kernel/kernel_config.hpp"
#include "kernel/work_tree.hpp"
#include "util/child_process.hpp"
#include "util/file_contents.hpp"
#include "util/file_lock.hpp"
#include "util/file_tail.hpp"
#include "util/sha256.hpp"
#include "util/utc_time.hpp"

namespace numalab::kernel {

namespace {

using util::ErrorKind;
using util::fail;

std::string compiler_identity() {
  auto v = util::capture_output({"gcc", "--version"}, util::Deadline::after(std::chrono::seconds(10)));
  return v ? v->substr(0, v->find('\n')) : "gcc unknown";
}

util::Result<PatchSeries> load_series(const lab::KernelSpec& spec, const std::filesystem::path& root) {
  if (spec.series.empty()) return PatchSeries{};
  const auto path = std::filesystem::path(spec.series).is_absolute() ? std::filesystem::path(spec.series)
                                                                     : root / spec.series;
  if (!std::filesystem::exists(path))
    return fail(ErrorKind::bad_input, spec.where.to_string() + ": [kernel." + spec.name + "] series '" +
                                          spec.series + "' does not exist");
  return load_patch_series(path);
}

// make, its output in the log, progress from the log as it grows.
util::Result<double> run_make(const WorkTree& tree, const std::filesystem::path& log, const BuildOptions& o,
                              const std::string& name, std::optional<std::uint64_t> expected,
                              std::uint64_t& steps) {
  const int jobs = o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::string> argv = {"make",
                                   "-C",
                                   tree.src.string(),
                                   "O=" + tree.build.string(),
                                   "-j" + std::to_string(jobs),
                                   "KBUILD_BUILD_USER=numalab",
                                   "KBUILD_BUILD_HOST=numalab",
                                   "bzImage"};
  util::ChildOptions co;
  if (::access("/usr/bin/ccache", X_OK) == 0) {
    argv.emplace_back("CC=ccache gcc");
    // Every kernel's work tree is CACHE/work/NAME/{src,build}: with the base folder at NAME and
    // without the build folder in the hash, kernels that differ by a few files share all other
    // objects in ccache. (The debug info then names src/ relatively, which the tree keeps.)
    co.env = {"CCACHE_BASEDIR=" + tree.src.parent_path().string(), "CCACHE_NOHASHDIR=1"};
  }
  co.stdout_path = log;
  co.stderr_path = log;
  const auto t0 = util::SteadyClock::now();
  auto make = util::ChildProcess::spawn(argv, co);
  if (!make) return std::unexpected(make.error());
  BuildProgress progress(expected);
  std::ifstream in(log, std::ios::binary);
  char buf[65536];
  for (;;) {
    const auto done = make->wait_until(util::Deadline::after(std::chrono::milliseconds(500)));
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
      progress.feed({buf, static_cast<std::size_t>(in.gcount())});
    in.clear();
    const double elapsed = std::chrono::duration<double>(util::SteadyClock::now() - t0).count();
    o.on_event(progress.snapshot(name, elapsed));
    if (!done && o.stop && o.stop->requested()) {
      make->stop();  // the work tree keeps what was compiled: the next build goes on from there
      return fail(ErrorKind::interrupted, "the build of kernel '" + name + "' was interrupted");
    }
    if (done) {
      steps = progress.steps();
      if (done->exit_code != 0)
        return fail(ErrorKind::cannot_run,
                    "building kernel '" + name + "' failed (" + done->to_string() + "):\n" +
                        util::tail_of_file(log, 20, "(make printed nothing)") + "full log: " + log.string());
      return elapsed;
    }
  }
}

util::Result<void> store(const WorkTree& tree, const std::filesystem::path& dir, const BuildRecord& record) {
  const auto tmp = dir.string() + ".tmp." + std::to_string(::getpid());
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
  std::filesystem::create_directories(tmp);
  const std::vector<std::pair<std::filesystem::path, std::string>> files = {
      {tree.build / "arch/x86/boot/bzImage", "bzImage"},
      {tree.build / "vmlinux", "vmlinux"},
      {tree.build / ".config", "config"},
      {tree.build / "numalab-build.log", "build.log"}};
  for (const auto& [from, to] : files) {
    std::filesystem::copy_file(from, std::filesystem::path(tmp) / to, ec);
    if (ec) return fail(ErrorKind::cannot_run, "cannot store " + from.string() + ": " + ec.message());
  }
  if (auto w = write_build_record(tmp, record); !w) {  // last: a folder with a record is complete
    std::filesystem::remove_all(tmp, ec);
    return w;
  }
  std::filesystem::rename(tmp, dir, ec);
  if (ec && !std::filesystem::exists(dir / "bzImage"))
    return fail(ErrorKind::cannot_run, "cannot store the kernel in " + dir.string() + ": " + ec.message());
  return {};
}

}  // namespace

util::Result<BuiltKernel> build_kernel(const lab::KernelSpec& spec, const BuildOptions& o) {
  auto series = load_series(spec, o.project_root);
  if (!series) return std::unexpected(series.error());
  auto fragments = load_fragments(spec.config, o.project_root);
  if (!fragments) return std::unexpected(fragments.error());
  const auto note = [&](const std::string& text) { o.note(spec.name, text); };
  auto base = ensure_base_source({spec.base, spec.base_tree, spec.base_ref}, o.cache_dir, note);
  if (!base) return std::unexpected(base.error());
  // One numalab at a time in a kernel's work tree: another run, compare or CI job on this cache
  // building the same kernel name waits here, then finds the kernel cached or builds on its tree.
  // The lock is inside the work folder, which `numalab kernels --prune` keeps for kernels in use.
  const auto work = work_tree_root(o.cache_dir, spec.name);
  std::error_code ec;
  std::filesystem::create_directories(work, ec);
  auto lock = util::FileLock::acquire(work / "build.lock", [&] {
    o.note(spec.name, "waiting for another numalab that is building " + spec.name + " in " + work.string());
  });
  if (!lock) return std::unexpected(lock.error());
  auto tree = prepare_work_tree(spec.name, *base, *series, o.cache_dir, note);
  if (!tree) return std::unexpected(tree.error());
  auto config = resolve_config(*tree, *fragments, base->identity, series->content_hash());
  if (!config) return std::unexpected(config.error());

  const std::string compiler = compiler_identity();
  BuiltKernel k;
  k.name = spec.name;
  k.key =
      KernelCacheKey{base->identity, series->content_hash(), resolved_config_hash(*config), compiler}.hex();
  k.dir = o.cache_dir / "kernels" / "built" / k.key;
  k.bzimage = k.dir / "bzImage";
  if (std::filesystem::exists(k.bzimage) && read_build_record(k.dir)) {
    k.cached = true;
    return k;
  }
  const auto state = tree->build / "numalab-build.json";
  auto stats = nlohmann::json::parse(util::read_file(state).value_or(""), nullptr, false);
  std::optional<std::uint64_t> expected;
  const bool cold = !std::filesystem::exists(tree->build / "vmlinux");
  if (cold && stats.is_object() && stats.contains("cold_steps"))
    expected = stats["cold_steps"].get<std::uint64_t>();
  o.on_event(KernelBuildStarted{spec.name, k.key, cold});
  std::uint64_t steps = 0;
  auto seconds = run_make(*tree, tree->build / "numalab-build.log", o, spec.name, expected, steps);
  if (!seconds) return std::unexpected(seconds.error());
  k.seconds = *seconds;
  if (cold) {
    if (auto w = util::write_file(state, nlohmann::json{{"cold_steps", steps}}.dump() + "\n"); !w)
      return std::unexpected(w.error());
  }

  const BuildRecord record{spec.name,
                           k.key,
                           base->identity,
                           spec.series,
                           series->content_hash(),
                           series->patches.size(),
                           spec.config,
                           resolved_config_hash(*config),
                           compiler,
                           util::utc_timestamp(),
                           k.seconds};
  if (auto r = store(*tree, k.dir, record); !r) return std::unexpected(r.error());
  return k;
}

}  // namespace numalab::kernel
