#include "kernel/kernel_config.hpp"

#include <algorithm>

#include "kernel/kconfig_check.hpp"
#include "kernel/kconfig_depends.hpp"
#include "util/child_process.hpp"
#include "util/file_contents.hpp"
#include "util/sha256.hpp"

namespace numalab::kernel {

namespace {

using util::ErrorKind;
using util::fail;

util::Result<void> step(const std::vector<std::string>& argv, const std::string& what) {
  auto r = util::capture_output(argv, util::Deadline::after(std::chrono::minutes(10)));
  if (!r) return fail(ErrorKind::cannot_run, what + ": " + r.error().message);
  return {};
}

}  // namespace

util::Result<MergedKconfig> load_fragments(const std::vector<std::string>& names,
                                           const std::filesystem::path& project_root) {
  std::vector<KconfigSettings> fragments;
  // The lab's own project first, then the fragments numalab ships.
  const std::vector<std::filesystem::path> roots = {project_root, NUMALAB_DATA_DIR};
  for (const auto& name : names) {
    const auto rel = std::filesystem::path("kernels") / (name + ".config");
    auto root = std::find_if(roots.begin(), roots.end(),
                             [&](const auto& r) { return std::filesystem::exists(r / rel); });
    if (root == roots.end())
      return fail(ErrorKind::bad_input, "config fragment '" + name + "': neither " +
                                            (roots[0] / rel).string() + " nor " + (roots[1] / rel).string() +
                                            " exists");
    auto f = read_kconfig(*root / rel, rel.string());
    if (!f) return std::unexpected(f.error());
    fragments.push_back(std::move(*f));
  }
  return merge_kconfig(fragments);
}

util::Result<KconfigSettings> resolve_config(const WorkTree& tree, const MergedKconfig& fragments,
                                             const std::string& base_identity,
                                             const std::string& series_hash) {
  const std::string wanted = kconfig_text(fragments.settings);
  // What the .config was made from; a series that touches no Kconfig file cannot change it.
  const std::string recipe = util::sha256_hex(wanted + "\n" + base_identity + "\n" +
                                              (tree.touches_kconfig ? series_hash : std::string()));
  const auto recipe_file = tree.build / "numalab-config.recipe";
  const std::string last = util::read_file(recipe_file).value_or("");
  if (last != recipe + "\n" || !std::filesystem::exists(tree.build / ".config")) {
    std::error_code ec;
    std::filesystem::remove(recipe_file, ec);
    const auto fragment = tree.build / "numalab-fragment.config";
    if (auto w = util::write_file(fragment, wanted); !w) return std::unexpected(w.error());
    const std::string src = tree.src.string(), o = "O=" + tree.build.string();
    if (auto r = step({"make", "-C", src, o, "tinyconfig"}, "make tinyconfig"); !r)
      return std::unexpected(r.error());
    if (auto r = step({src + "/scripts/kconfig/merge_config.sh", "-m", "-O", tree.build.string(),
                       (tree.build / ".config").string(), fragment.string()},
                      "merge_config.sh");
        !r)
      return std::unexpected(r.error());
    if (auto r = step({"make", "-C", src, o, "olddefconfig"}, "make olddefconfig"); !r)
      return std::unexpected(r.error());
  }
  auto resolved = read_kconfig(tree.build / ".config", "the resolved .config");
  if (!resolved) return std::unexpected(resolved.error());
  if (auto dropped = dropped_options(fragments.settings, *resolved); !dropped.empty()) {
    if (auto symbols = read_kconfig_symbols(tree.src)) add_dependency_hints(dropped, *symbols, *resolved);
    return std::unexpected(dropped_options_error(dropped));
  }
  if (auto w = util::write_file(recipe_file, recipe + "\n"); !w) return std::unexpected(w.error());
  return resolved;
}

}  // namespace numalab::kernel
