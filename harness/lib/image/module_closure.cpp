#include "image/module_closure.hpp"

#include <algorithm>
#include <map>
#include <ranges>
#include <set>
#include <sstream>

#include "util/file_contents.hpp"

namespace numalab::image {

namespace {

std::string module_name(std::string_view path) {
  auto slash = path.rfind('/');
  std::string base(slash == std::string_view::npos ? path : path.substr(slash + 1));
  if (auto dot = base.find(".ko"); dot != std::string::npos) base.resize(dot);
  std::replace(base.begin(), base.end(), '-', '_');
  return base;
}

}  // namespace

std::vector<ModuleDep> parse_modules_dep(std::string_view text) {
  std::vector<ModuleDep> out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    ModuleDep dep{line.substr(0, colon), {}};
    std::istringstream rest(line.substr(colon + 1));
    for (std::string d; rest >> d;) dep.deps.push_back(d);
    out.push_back(std::move(dep));
  }
  return out;
}

util::Result<std::vector<std::string>> module_load_order(const std::filesystem::path& modules_dir,
                                                         const std::vector<std::string>& names) {
  const auto dep_file = modules_dir / "modules.dep";
  if (!std::filesystem::exists(dep_file))
    return util::fail(util::ErrorKind::cannot_run,
                      dep_file.string() + " is missing: run depmod for this kernel");
  std::map<std::string, ModuleDep> by_name;
  std::map<std::string, const ModuleDep*> by_path;
  auto deps = util::read_file(dep_file);
  if (!deps) return std::unexpected(deps.error());
  for (auto& d : parse_modules_dep(*deps)) by_name[module_name(d.path)] = std::move(d);
  for (auto& [name, d] : by_name) by_path[d.path] = &d;
  std::set<std::string> builtin;
  {
    std::istringstream in(util::read_file(modules_dir / "modules.builtin").value_or(""));  // may be absent
    for (std::string line; std::getline(in, line);) builtin.insert(module_name(line));
  }

  std::vector<std::string> order;
  std::set<std::string> seen;
  // Dependencies first; modules.dep lists each module's whole closure, so depth is small.
  auto visit = [&](auto&& self, const ModuleDep& m) -> void {
    if (!seen.insert(m.path).second) return;
    for (const auto& dep : std::views::reverse(m.deps))
      if (auto d = by_path.find(dep); d != by_path.end()) self(self, *d->second);
    order.push_back(m.path);
  };
  for (const auto& raw : names) {
    std::string name = raw;
    std::replace(name.begin(), name.end(), '-', '_');
    if (auto m = by_name.find(name); m != by_name.end())
      visit(visit, m->second);
    else if (!builtin.contains(name))
      return util::fail(util::ErrorKind::cannot_run,
                        "kernel module '" + raw + "' is neither in " + dep_file.string() + " nor built in");
  }
  return order;
}

}  // namespace numalab::image
