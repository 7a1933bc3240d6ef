#include "bundle/bundle_kernel.hpp"

#include "kernel/build_record.hpp"
#include "kernel/patch_series.hpp"

namespace numalab::bundle {

namespace {

bool hidden(const std::filesystem::path& rel) {
  for (const auto& part : rel)
    if (part.string().starts_with(".")) return true;
  return false;
}

// Every regular file under `folder` (but hidden ones, such as .git) as "PREFIX/REL".
void add_folder(const std::filesystem::path& folder, const std::string& prefix,
                std::vector<BundleEntry>& entries) {
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(folder, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto rel = it->path().lexically_relative(folder);
    if (hidden(rel)) continue;
    add_file_if_present(entries, prefix + "/" + rel.generic_string(), it->path());
  }
}

}  // namespace

BundledKernel kernel_evidence(const result::KernelIdentity& identity) {
  BundledKernel k;
  k.name = identity.name;
  k.release = identity.release;
  k.sha256 = identity.sha256;
  k.path = identity.path;
  if (identity.path.empty()) return k;
  const auto record = kernel::read_build_record(std::filesystem::path(identity.path).parent_path());
  if (!record || record->key.empty()) return k;
  k.cache_key = record->key;
  k.base = record->base;
  k.series = record->series;
  k.series_hash = record->series_hash;
  k.config = record->config;
  return k;
}

std::filesystem::path kernel_config_file(const result::KernelIdentity& identity) {
  if (identity.path.empty()) return {};
  const auto dir = std::filesystem::path(identity.path).parent_path();
  if (!kernel::read_build_record(dir)) return {};
  return dir / "config";
}

BundledSeries add_series(const lab::KernelSpec& spec, const std::filesystem::path& project_root,
                         const std::string& built_series_hash, std::vector<BundleEntry>& entries,
                         std::vector<std::string>& notes) {
  BundledSeries s{spec.name, "", false};
  if (spec.series.empty()) return s;
  const std::filesystem::path given(spec.series);
  const auto path = given.is_absolute() ? given : project_root / given;
  const std::string prefix = "patches/" + spec.name;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    add_folder(path, prefix, entries);
    s.entry = prefix;
  } else if (std::filesystem::is_regular_file(path, ec) && path.filename() == "series") {
    add_folder(path.parent_path(), prefix, entries);
    s.entry = prefix;
  } else if (std::filesystem::is_regular_file(path, ec)) {
    s.entry = prefix + "/" + path.filename().string();
    add_file_if_present(entries, s.entry, path);
  } else {
    notes.push_back(
        "[kernel." + spec.name + "] series " + path.string() +
        " no longer exists: the bundle has no patches for it (a bundle --with-kernel has the image)");
    return s;
  }
  auto loaded = kernel::load_patch_series(path);
  s.matches_build = loaded && !built_series_hash.empty() && loaded->content_hash() == built_series_hash;
  if (!built_series_hash.empty() && !s.matches_build)
    notes.push_back("[kernel." + spec.name + "] series " + path.string() +
                    " changed since the kernel was built: the bundle has it as it is now");
  return s;
}

void add_fragments(const lab::KernelSpec& spec, const std::filesystem::path& project_root,
                   std::vector<BundleEntry>& entries, std::vector<std::string>& notes) {
  for (const auto& name : spec.config) {
    const auto rel = std::filesystem::path("kernels") / (name + ".config");
    if (add_file_if_present(entries, rel.generic_string(), project_root / rel)) continue;
    if (add_file_if_present(entries, rel.generic_string(), std::filesystem::path(NUMALAB_DATA_DIR) / rel))
      continue;
    notes.push_back("config fragment '" + name + "' of [kernel." + spec.name + "] not found: not bundled");
  }
}

}  // namespace numalab::bundle
