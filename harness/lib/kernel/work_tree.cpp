#include "kernel/work_tree.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include "kernel/patch_apply.hpp"
#include "util/child_process.hpp"
#include "util/file_contents.hpp"

namespace numalab::kernel {

namespace {

using util::ErrorKind;
using util::fail;

std::string strip_path(std::string path, int strip) {
  if (auto tab = path.find('\t'); tab != std::string::npos) path.resize(tab);
  for (int i = 0; i < strip; ++i) {
    auto slash = path.find('/');
    if (slash == std::string::npos) return "";
    path.erase(0, slash + 1);
  }
  return path;
}

// Gives a file of the tree its own inode and a fresh time, so make sees it as changed. A file
// that is not there (the old series created it) has nothing to renew.
util::Result<void> renew(const std::filesystem::path& file) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (!std::filesystem::is_regular_file(status)) return {};
  auto bytes = util::read_file(file);
  if (!bytes) return std::unexpected(bytes.error());
  return util::write_file(file, *bytes, {.mode = status.permissions()});
}

nlohmann::json read_state(const std::filesystem::path& file) {
  auto j = nlohmann::json::parse(util::read_file(file).value_or(""), nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

bool has_kconfig(const std::set<std::string>& files) {
  for (const auto& f : files)
    if (std::filesystem::path(f).filename().string().starts_with("Kconfig")) return true;
  return false;
}

}  // namespace

std::set<std::string> files_touched(const PatchSeries& series) {
  std::set<std::string> files;
  for (const auto& p : series.patches) {
    std::istringstream lines(p.content);
    for (std::string line; std::getline(lines, line);) {
      if (!line.starts_with("+++ ") && !line.starts_with("--- ")) continue;
      std::string path = line.substr(4);
      if (path.starts_with("/dev/null")) continue;
      if (auto f = strip_path(path, p.strip); !f.empty()) files.insert(f);
    }
  }
  return files;
}

std::filesystem::path work_tree_root(const std::filesystem::path& cache_dir, const std::string& kernel_name) {
  return cache_dir / "work" / kernel_name;
}

util::Result<WorkTree> prepare_work_tree(const std::string& kernel_name, const BaseSource& base,
                                         const PatchSeries& series, const std::filesystem::path& cache_dir,
                                         const std::function<void(const std::string&)>& say) {
  const auto root = work_tree_root(cache_dir, kernel_name);
  WorkTree tree{root / "src", root / "build"};
  std::error_code ec;
  std::filesystem::create_directories(tree.build, ec);
  const auto state_file = root / "state.json";
  auto state = read_state(state_file);
  const std::string series_hash = series.content_hash();
  if (std::filesystem::exists(tree.src / "Makefile") && state.value("base", "") == base.identity &&
      state.value("series", "") == series_hash)
    return tree;

  const auto fresh = root / "src.new";
  std::filesystem::remove_all(fresh, ec);
  say(kernel_name + ": applying " + std::to_string(series.patches.size()) +
      " patch(es) to a fresh copy of the base");
  if (auto r = util::capture_output({"cp", "-al", base.dir.string(), fresh.string()},
                                    util::Deadline::after(std::chrono::minutes(10)));
      !r)
    return fail(ErrorKind::cannot_run, "cannot copy the base tree: " + r.error().message);
  auto applied = apply_patch_series(series, fresh, util::Deadline::after(std::chrono::minutes(10)));
  if (!applied) {
    std::filesystem::remove_all(fresh, ec);  // a half-patched tree is never used
    return std::unexpected(applied.error());
  }
  for (const auto& w : applied->warnings) say(kernel_name + ": " + w);

  // Objects built from another base, or from a tree whose history is unknown, may be newer than
  // the files they came from once those revert to the base's times: start the build afresh.
  if (state.value("base", "") != base.identity || !state.contains("touched")) {
    std::filesystem::remove_all(tree.build, ec);
    std::filesystem::create_directories(tree.build, ec);
    say(kernel_name + ": new base or unknown history: building from a clean folder");
  }
  const auto touched = files_touched(series);
  std::set<std::string> before;
  if (state.contains("touched") && state["touched"].is_array())
    for (const auto& f : state["touched"])
      if (f.is_string()) before.insert(f.get<std::string>());
  for (const auto& f : before) {
    if (touched.contains(f)) continue;
    if (auto r = renew(fresh / f); !r) {  // back to the base's text, but newer than its object
      std::filesystem::remove_all(fresh, ec);
      return std::unexpected(r.error());
    }
  }
  tree.touches_kconfig = has_kconfig(touched) || has_kconfig(before);

  const auto old = root / "src.old";
  std::filesystem::remove_all(old, ec);
  if (std::filesystem::exists(tree.src)) std::filesystem::rename(tree.src, old, ec);
  std::filesystem::rename(fresh, tree.src, ec);
  if (ec) return fail(ErrorKind::cannot_run, "cannot replace " + tree.src.string() + ": " + ec.message());
  std::filesystem::remove_all(old, ec);
  const nlohmann::json state_now{{"base", base.identity}, {"series", series_hash}, {"touched", touched}};
  if (auto w = util::write_file(state_file, state_now.dump(1) + "\n"); !w) return std::unexpected(w.error());
  tree.changed = true;
  return tree;
}

}  // namespace numalab::kernel
