#include "run/machine_prep.hpp"

#include <unistd.h>

#include <functional>

#include "image/nfs_userland.hpp"

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

}  // namespace

util::Result<std::vector<MachinePrep>> prepare_machines(const lab::Lab& lab, const PrepInputs& in,
                                                        const std::function<void(const std::string&)>& say) {
  std::vector<MachinePrep> preps;
  for (const auto& m : lab.machines) {
    const bool from_cli = in.kernel_override.has_value();
    const std::string name = from_cli ? *in.kernel_override : m.kernel;
    const auto base = from_cli ? std::filesystem::current_path() : lab.file.parent_path();
    kernel::BuildOptions build{kernel::project_root_of(lab.file), in.cache_dir, 0, in.terminal, say};
    auto k = kernel::resolve_kernel(name, lab, base.empty() ? "." : base, build);
    if (!k) {
      const std::string where = from_cli ? "--kernel" : m.where.to_string();
      return fail(k.error().kind, where + ": machine '" + m.name + "': " + k.error().message);
    }
    preps.push_back({&m, std::move(*k), {}});
  }
  if (!on_path(in.qemu_binary))
    return fail(ErrorKind::cannot_run, in.qemu_binary + " is not installed: apt-get install qemu-system-x86");

  for (auto& p : preps) {
    image::InitramfsRecipe recipe;
    recipe.agent = in.agent_binary;
    if (p.kernel.modules_dir)
      recipe.modules =
          image::KernelModules{*p.kernel.modules_dir, p.kernel.release, image::base_guest_modules()};
    if (runs_workload(lab, *p.machine, "nfs-server")) {
      auto extras = image::nfs_server_image_entries(in.cache_dir);
      if (!extras)
        return fail(extras.error().kind, p.machine->where.to_string() + ": machine '" + p.machine->name +
                                             "' runs nfs-server: " + extras.error().message);
      recipe.extras = std::move(*extras);
    }
    auto img = image::build_initramfs(recipe, in.cache_dir);
    if (!img) return std::unexpected(img.error());
    p.image = *img;
    say(p.machine->name + ": kernel " + p.kernel.name +
        (p.kernel.release.empty() ? "" : " (" + p.kernel.release + ")") + ", guest image " + p.image.key +
        (p.image.cached ? " (cached)" : " (built)"));
  }
  return preps;
}

}  // namespace numalab::run
