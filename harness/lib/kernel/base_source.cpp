#include "kernel/base_source.hpp"

#include <unistd.h>

#include "util/child_process.hpp"

namespace numalab::kernel {

namespace {

using util::ErrorKind;
using util::fail;

constexpr const char* k_debian_tarball = "/usr/src/linux-source-6.1.tar.xz";

std::string first_line(std::string s) {
  if (auto nl = s.find('\n'); nl != std::string::npos) s.resize(nl);
  return s;
}

util::Result<std::string> run(const std::vector<std::string>& argv, std::chrono::seconds limit) {
  return util::capture_output(argv, util::Deadline::after(limit));
}

// Unpacks into DIR.tmp, then renames: a tree is either complete or absent.
util::Result<void> unpack(const std::vector<std::string>& extract, const std::filesystem::path& dir) {
  const auto tmp = dir.string() + ".tmp." + std::to_string(::getpid());
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
  std::filesystem::create_directories(tmp, ec);
  auto argv = extract;
  argv.insert(argv.end(), {"-C", tmp});
  if (auto r = run(argv, std::chrono::minutes(20)); !r) {
    std::filesystem::remove_all(tmp, ec);
    return std::unexpected(r.error());
  }
  std::filesystem::rename(tmp, dir, ec);
  if (ec) {
    std::filesystem::remove_all(tmp, ec);
    if (!std::filesystem::exists(dir)) return fail(ErrorKind::cannot_run, "cannot store " + dir.string());
  }
  return {};
}

util::Result<BaseSource> debian_source(const std::filesystem::path& cache_dir,
                                       const std::function<void(const std::string&)>& say) {
  if (!std::filesystem::exists(k_debian_tarball))
    return fail(ErrorKind::cannot_run, std::string(k_debian_tarball) +
                                           " is missing: apt-get install linux-source-6.1 (make deps does)");
  auto version = run({"dpkg-query", "-W", "-f=${Version}", "linux-source-6.1"}, std::chrono::seconds(30));
  if (!version) return fail(ErrorKind::cannot_run, "dpkg-query linux-source-6.1: " + version.error().message);
  BaseSource base{cache_dir / "sources" / ("debian-6.1-" + *version), "debian linux-source-6.1 " + *version};
  if (!std::filesystem::exists(base.dir / "Makefile")) {
    say("unpacking Debian's linux-source-6.1 " + *version + " (once; about a minute)");
    std::filesystem::create_directories(base.dir.parent_path());
    if (auto r = unpack({"tar", "-xf", k_debian_tarball, "--strip-components=1"}, base.dir); !r)
      return std::unexpected(r.error());
  }
  return base;
}

util::Result<BaseSource> git_source(const BaseSpec& spec, const std::filesystem::path& cache_dir,
                                    const std::function<void(const std::string&)>& say) {
  const std::string ref = spec.ref.value_or("HEAD");
  auto commit =
      run({"git", "-C", *spec.tree, "rev-parse", "--verify", ref + "^{commit}"}, std::chrono::seconds(30));
  if (!commit)
    return fail(ErrorKind::bad_input, "base tree " + *spec.tree + " has no commit '" + ref + "' (" +
                                          first_line(commit.error().message) + ")");
  const std::string sha = first_line(*commit);
  BaseSource base{cache_dir / "sources" / ("git-" + sha), "git " + sha};
  if (!std::filesystem::exists(base.dir / "Makefile")) {
    say("exporting " + *spec.tree + " at " + ref + " (" + sha.substr(0, 12) + ")");
    std::filesystem::create_directories(base.dir.parent_path());
    const auto tar = base.dir.string() + ".tar";
    if (auto r = run({"git", "-C", *spec.tree, "archive", "--format=tar", "-o", tar, sha},
                     std::chrono::minutes(20));
        !r)
      return std::unexpected(r.error());
    auto unpacked = unpack({"tar", "-xf", tar}, base.dir);
    std::error_code ec;
    std::filesystem::remove(tar, ec);
    if (!unpacked) return std::unexpected(unpacked.error());
  }
  return base;
}

}  // namespace

util::Result<BaseSource> ensure_base_source(const BaseSpec& spec, const std::filesystem::path& cache_dir,
                                            const std::function<void(const std::string&)>& say) {
  if (spec.tree) return git_source(spec, cache_dir, say);
  if (spec.name == k_debian_base) return debian_source(cache_dir, say);
  return fail(ErrorKind::bad_input, "unknown kernel base '" + spec.name + "': use \"" + k_debian_base +
                                        "\" or { tree = \"/path/to/linux\", ref = \"v6.1\" }");
}

}  // namespace numalab::kernel
