#include "run/run_preparation.hpp"

#include <unistd.h>

#include "image/nfs_userland.hpp"
#include "util/temp_dir.hpp"

namespace numalab::run {

using util::ErrorKind;
using util::fail;

namespace {

bool on_path(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t colon = std::min(dirs.find(':', start), dirs.size());
    const auto candidate = std::filesystem::path(dirs.substr(start, colon - start)) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return true;
    start = colon + 1;
  }
  return false;
}

bool runs_workload(const lab::Lab& lab, const lab::Machine& m, std::string_view workload) {
  for (const auto& w : lab.workloads)
    if (w.machine == m.name && w.name == workload) return true;
  return false;
}

util::Result<image::BuiltImage> guest_image(const lab::Lab& lab, const PreparedMachine& p,
                                            const RunSettings& s) {
  image::InitramfsRecipe recipe;
  recipe.agent = s.agent_binary;
  if (p.kernel.modules_dir)
    recipe.modules =
        image::KernelModules{*p.kernel.modules_dir, p.kernel.release, image::base_guest_modules()};
  if (runs_workload(lab, *p.machine, "nfs-server")) {
    auto extras = image::nfs_server_image_entries(s.cache_dir);
    if (!extras)
      return fail(extras.error().kind, p.machine->where.to_string() + ": machine '" + p.machine->name +
                                           "' runs nfs-server: " + extras.error().message);
    recipe.extras = std::move(*extras);
  }
  return image::build_initramfs(recipe, s.cache_dir);
}

}  // namespace

util::Result<LabKernels> resolve_lab_kernels(const lab::Lab& lab, const std::optional<std::string>& override,
                                             const kernel::BuildOptions& build) {
  LabKernels out;
  std::map<std::string, kernel::ResolvedKernel> by_name;
  for (const auto& m : lab.machines) {
    const std::string name = override.value_or(m.kernel);
    if (auto seen = by_name.find(name); seen != by_name.end()) {
      out.emplace(m.name, seen->second);
      continue;
    }
    const auto base = override ? std::filesystem::current_path() : lab.file.parent_path();
    auto k = kernel::resolve_kernel(name, lab, base.empty() ? "." : base, build);
    if (!k) {
      const std::string where = override ? "--kernel" : m.where.to_string();
      return fail(k.error().kind, where + ": machine '" + m.name + "': " + k.error().message);
    }
    by_name.emplace(name, *k);
    out.emplace(m.name, std::move(*k));
  }
  return out;
}

LabKernels same_kernel_everywhere(const lab::Lab& lab, const kernel::ResolvedKernel& k) {
  LabKernels out;
  for (const auto& m : lab.machines) out.emplace(m.name, k);
  return out;
}

util::Result<PreparedRun> prepare_run(const lab::Lab& lab, const LabKernels& kernels, const RunSettings& s,
                                      StatusSink& status) {
  if (!on_path(s.qemu_binary))
    return fail(ErrorKind::cannot_run, s.qemu_binary + " is not installed: apt-get install qemu-system-x86");
  PreparedRun run;
  for (const auto& m : lab.machines) {
    auto k = kernels.find(m.name);
    if (k == kernels.end())
      return fail(ErrorKind::internal, "no kernel was resolved for machine '" + m.name + "'");
    PreparedMachine p;
    p.machine = &m;
    p.kernel = k->second;
    auto img = guest_image(lab, p, s);
    if (!img) return std::unexpected(img.error());
    p.image = std::move(*img);
    status.on(ImageReady{m.name, p.kernel.name, p.kernel.release, p.image.key, p.image.cached});
    run.machines.push_back(std::move(p));
  }
  auto scratch = util::ScopedTempDir::create("numalab-probe-");
  if (!scratch) return std::unexpected(scratch.error());
  run.accel = launch::choose_accel({s.qemu_binary, run.machines[0].kernel.image, run.machines[0].image.path,
                                    s.cache_dir, scratch->path() / "probe"});
  status.on(AcceleratorChosen{std::string(launch::to_string(run.accel.accel)), run.accel.reason,
                              run.accel.sandbox});
  return run;
}

}  // namespace numalab::run
