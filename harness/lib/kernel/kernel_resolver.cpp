#include "kernel/kernel_resolver.hpp"

#include <fstream>

#include "kernel/bzimage_header.hpp"
#include "util/sha256.hpp"

namespace numalab::kernel {

using util::ErrorKind;
using util::fail;

namespace {

util::Result<ResolvedKernel> debian_kernel(const std::filesystem::path& cache_dir) {
  const auto dir = cache_dir / "kernels" / "debian" / "current";
  if (!std::filesystem::exists(dir / ".complete"))
    return fail(ErrorKind::bad_input,
                "kernel 'debian' is not in numalab's cache (" + dir.string() +
                    "): run kernels/fetch-debian-kernel once (make demo and make test do it)");
  ResolvedKernel k{"debian", dir / "vmlinuz", "", std::nullopt, "", "", {}};
  std::ifstream(dir / "release") >> k.release;
  k.modules_dir = dir / "lib" / "modules" / k.release;
  return k;
}

}  // namespace

bool looks_like_path(const std::string& name) {
  return name.find('/') != std::string::npos || name.starts_with("bzImage") || name.starts_with("vmlinuz");
}

std::filesystem::path project_root_of(const std::filesystem::path& lab_file) {
  auto start = std::filesystem::absolute(lab_file).parent_path();
  for (auto dir = start; !dir.empty(); dir = dir.parent_path()) {
    if (std::filesystem::is_directory(dir / "patches") || std::filesystem::is_directory(dir / "kernels"))
      return dir;
    if (dir == dir.root_path()) break;
  }
  return start;
}

util::Result<ResolvedKernel> resolve_kernel(const std::string& name, const lab::Lab& lab,
                                            const std::filesystem::path& relative_to,
                                            const BuildOptions& options) {
  const auto& cache_dir = options.cache_dir;
  util::Result<ResolvedKernel> k = fail(ErrorKind::internal, "unresolved");
  if (name == "debian") {
    k = debian_kernel(cache_dir);
  } else if (auto spec = lab.kernels.find(name); spec != lab.kernels.end()) {
    auto built = build_kernel(spec->second, options);
    if (!built) return std::unexpected(built.error());
    options.on_event(KernelReady{name, built->key, built->cached});
    k = ResolvedKernel{
        name,       built->bzimage, "", std::nullopt, bzimage_release(built->bzimage).value_or(""),
        built->key, built->dir};
  } else if (looks_like_path(name) || std::filesystem::exists(relative_to / name)) {
    auto path = std::filesystem::path(name).is_absolute() ? std::filesystem::path(name) : relative_to / name;
    if (!std::filesystem::is_regular_file(path))
      return fail(ErrorKind::bad_input,
                  "kernel '" + name + "' does not exist (looked for " + path.string() + ")");
    k = ResolvedKernel{name, std::filesystem::absolute(path).lexically_normal(), "", std::nullopt, "", "",
                       {}};
    // A modular kernel's modules, when they sit beside it (an unpacked package or an install
    // tree: DIR/vmlinuz with DIR/lib/modules/RELEASE); a kernel without them must have built in
    // what the guest needs (virtio console).
    if (auto release = bzimage_release(k->image)) {
      k->release = *release;
      const auto modules = k->image.parent_path() / "lib" / "modules" / *release;
      if (std::filesystem::exists(modules / "modules.dep")) k->modules_dir = modules;
    }
  } else {
    return fail(ErrorKind::bad_input, "kernel '" + name + "' is neither 'debian', a [kernel." + name +
                                          "] table of the lab, nor an existing file");
  }
  if (!k) return k;
  auto sha = util::sha256_file(k->image);
  if (!sha) return std::unexpected(sha.error());
  k->sha256 = *sha;
  return k;
}

}  // namespace numalab::kernel
