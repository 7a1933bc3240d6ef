#include "bundle/repro_lab.hpp"

#include "kernel/kernel_resolver.hpp"
#include "util/sha256.hpp"

namespace numalab::bundle {

using util::ErrorKind;
using util::fail;

namespace {

std::string same_or_not(const std::filesystem::path& image, const std::string& bundled_sha) {
  auto sha = util::sha256_file(image);
  if (!sha || bundled_sha.empty()) return "";
  return *sha == bundled_sha ? ", the same image as the bundled run's"
                             : ", NOT the bundled run's image (sha256 " + sha->substr(0, 12) + " vs " +
                                   bundled_sha.substr(0, 12) + ")";
}

// The image a machine boots in the reproduction, or "" to keep what the lab names.
util::Result<std::filesystem::path> choose_image(const std::filesystem::path& bundle_dir, const lab::Lab& lab,
                                                 const lab::Machine& machine, const BundledKernel& bundled,
                                                 const kernel::BuildOptions& build, std::string& how) {
  std::error_code ec;
  if (!bundled.image.empty() && std::filesystem::is_regular_file(bundle_dir / bundled.image, ec)) {
    how = "the bundled bzImage";
    return bundle_dir / bundled.image;
  }
  if (!bundled.cache_key.empty()) {
    const auto cached = build.cache_dir / "kernels" / "built" / bundled.cache_key / "bzImage";
    if (std::filesystem::is_regular_file(cached, ec)) {
      how = "the kernel cache's build " + bundled.cache_key;
      return cached;
    }
  }
  if (lab.kernels.contains(machine.kernel)) {
    auto k = kernel::resolve_kernel(machine.kernel, lab, bundle_dir, build);
    if (!k) return std::unexpected(k.error());
    how = "[kernel." + machine.kernel + "] built from the bundled series (key " + k->cache_key +
          (bundled.cache_key.empty() || k->cache_key == bundled.cache_key
               ? ""
               : ", the bundle's was " + bundled.cache_key) +
          ")";
    return k->image;
  }
  if (kernel::looks_like_path(machine.kernel)) {
    if (!bundled.path.empty() && std::filesystem::is_regular_file(bundled.path, ec)) {
      how = "the image the run booted, still at " + bundled.path;
      return std::filesystem::path(bundled.path);
    }
    return fail(ErrorKind::bad_input, "machine '" + machine.name + "': the bundle has no image of kernel " +
                                          machine.kernel +
                                          " and it is not here: make the bundle with --with-kernel");
  }
  how = "kernel '" + machine.kernel + "'";
  return std::filesystem::path();
}

}  // namespace

util::Result<ReproLab> rebuild_lab(const std::filesystem::path& bundle_dir, const BundleManifest& manifest,
                                   kernel::BuildOptions build) {
  auto lab = lab::parse_lab_file(bundle_dir / "lab.toml");
  if (!lab) return std::unexpected(lab.error());
  ReproLab out{std::move(*lab), {}};
  for (const auto& s : manifest.series)
    if (auto spec = out.lab.kernels.find(s.kernel); spec != out.lab.kernels.end())
      spec->second.series = (bundle_dir / s.entry).string();
  build.project_root = bundle_dir;
  for (auto& machine : out.lab.machines) {
    const auto* bundled = manifest.find_machine(machine.name);
    if (!bundled) {
      out.notes.push_back(machine.name + ": not in the bundled run; kernel '" + machine.kernel +
                          "' as the lab names it");
      continue;
    }
    std::string how;
    auto image = choose_image(bundle_dir, out.lab, machine, bundled->kernel, build, how);
    if (!image) return std::unexpected(image.error());
    if (image->empty()) {
      if (machine.kernel == "debian") {
        auto k = kernel::resolve_kernel("debian", out.lab, bundle_dir, build);
        if (!k) return std::unexpected(k.error());
        how = "Debian's cached kernel " + k->release + same_or_not(k->image, bundled->kernel.sha256);
      }
      out.notes.push_back(machine.name + ": " + how);
      continue;
    }
    if (auto spec = out.lab.kernels.find(machine.kernel); spec != out.lab.kernels.end())
      machine.cmdline.insert(machine.cmdline.end(), spec->second.cmdline.begin(), spec->second.cmdline.end());
    machine.kernel = std::filesystem::absolute(*image).string();
    out.notes.push_back(machine.name + ": " + how + same_or_not(*image, bundled->kernel.sha256));
  }
  return out;
}

}  // namespace numalab::bundle
