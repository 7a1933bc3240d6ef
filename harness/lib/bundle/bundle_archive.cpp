#include "bundle/bundle_archive.hpp"

#include <set>
#include <sstream>

#include "util/child_process.hpp"
#include "util/file_contents.hpp"
#include "util/file_tail.hpp"
#include "util/temp_dir.hpp"

namespace numalab::bundle {

using util::ErrorKind;
using util::fail;

namespace {

constexpr auto k_tar_limit = std::chrono::minutes(30);  // a few GiB of memory dump through gzip

bool safe_name(const std::string& name) {
  if (name.empty() || name.front() == '/') return false;
  for (const auto& part : std::filesystem::path(name))
    if (part == "..") return false;
  return true;
}

// Runs tar with its stderr in `log`; the error says what tar said.
util::Result<void> run_tar(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  util::ChildOptions opts;
  opts.stderr_path = log;
  auto child = util::ChildProcess::spawn(argv, opts);
  if (!child) return std::unexpected(child.error());
  auto st = child->wait_until(util::Deadline::after(k_tar_limit));
  if (!st) {
    child->stop();
    return fail(ErrorKind::cannot_run,
                "tar did not finish in " + std::to_string(k_tar_limit.count()) + " minutes");
  }
  if (st->exit_code != 0) {
    auto said = util::tail_of_file(log, 8, "(tar printed nothing)");
    said.pop_back();  // the message's last line has no newline
    return fail(ErrorKind::cannot_run, "tar failed (" + st->to_string() + "):\n" + said);
  }
  return {};
}

util::Result<void> stage(const std::vector<BundleEntry>& entries, const std::filesystem::path& dir) {
  std::set<std::string> seen;
  for (const auto& e : entries) {
    if (!safe_name(e.name) || !seen.insert(e.name).second)
      return fail(ErrorKind::internal, "bundle entry '" + e.name + "' is unsafe or twice");
    const auto target = dir / e.name;
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    if (e.source.empty()) {
      if (auto w = util::write_file(target, e.text); !w) return w;
    } else {
      std::filesystem::create_symlink(std::filesystem::absolute(e.source), target, ec);
      if (ec) return fail(ErrorKind::cannot_run, "cannot stage " + e.source.string() + ": " + ec.message());
    }
  }
  return {};
}

// Only plain files and folders may come out of an archive.
util::Result<void> check_unpacked(const std::filesystem::path& dir) {
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto st = it->symlink_status(ec);
    if (!std::filesystem::is_regular_file(st) && !std::filesystem::is_directory(st))
      return fail(ErrorKind::bad_input, "the bundle holds " + it->path().lexically_relative(dir).string() +
                                            ", which is not a plain file: refused");
  }
  if (ec) return fail(ErrorKind::cannot_run, "cannot read " + dir.string() + ": " + ec.message());
  return {};
}

}  // namespace

std::string bundle_folder_name(const std::string& run_id) { return "run-" + run_id; }

util::Result<std::uint64_t> write_bundle_archive(const std::vector<BundleEntry>& entries,
                                                 const std::string& folder,
                                                 const std::filesystem::path& archive) {
  if (!safe_name(folder) || folder.find('/') != std::string::npos)
    return fail(ErrorKind::internal, "bundle folder '" + folder + "' is not one plain name");
  auto tmp = util::ScopedTempDir::create("numalab-bundle-");
  if (!tmp) return std::unexpected(tmp.error());
  if (auto r = stage(entries, tmp->path() / "stage" / folder); !r) return std::unexpected(r.error());
  std::error_code ec;
  if (archive.has_parent_path()) std::filesystem::create_directories(archive.parent_path(), ec);
  const auto partial = std::filesystem::path(archive.string() + ".partial");
  auto r = run_tar({"tar", "--create", "--gzip", "--dereference", "--sort=name", "--owner=0", "--group=0",
                    "--numeric-owner", "--file", std::filesystem::absolute(partial).string(), "--directory",
                    (tmp->path() / "stage").string(), "--", folder},
                   tmp->path() / "tar.log");
  if (!r) {
    std::filesystem::remove(partial, ec);
    return std::unexpected(r.error());
  }
  std::filesystem::rename(partial, archive, ec);
  if (ec) return fail(ErrorKind::cannot_run, "cannot write " + archive.string() + ": " + ec.message());
  return std::filesystem::file_size(archive, ec);
}

util::Result<std::vector<std::string>> list_bundle_archive(const std::filesystem::path& archive) {
  auto out = util::capture_output({"tar", "--list", "--gzip", "--file", archive.string()},
                                  util::Deadline::after(k_tar_limit), 16u << 20);
  if (!out)
    return fail(ErrorKind::bad_input,
                archive.string() + " is not a gzip'd tar (" + out.error().message + ")");
  std::vector<std::string> names;
  std::istringstream in(*out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) names.push_back(line);
  return names;
}

util::Result<std::filesystem::path> unpack_bundle_archive(const std::filesystem::path& archive,
                                                          const std::filesystem::path& into) {
  auto names = list_bundle_archive(archive);
  if (!names) return std::unexpected(names.error());
  std::set<std::string> tops;
  for (const auto& n : *names) {
    if (!safe_name(n))
      return fail(ErrorKind::bad_input, archive.string() + ": entry '" + n + "' leads out of the bundle");
    tops.insert(std::filesystem::path(n).begin()->string());
  }
  if (tops.size() != 1)
    return fail(ErrorKind::bad_input, archive.string() + ": not a numalab bundle (it must hold one folder)");
  auto log = util::ScopedTempDir::create("numalab-unpack-");
  if (!log) return std::unexpected(log.error());
  if (auto r = run_tar({"tar", "--extract", "--gzip", "--no-same-owner", "--no-same-permissions", "--file",
                        std::filesystem::absolute(archive).string(), "--directory", into.string()},
                       log->path() / "tar.log");
      !r)
    return std::unexpected(r.error());
  std::error_code ec;
  if (auto r = check_unpacked(into); !r) return std::unexpected(r.error());
  const auto folder = into / *tops.begin();
  if (!std::filesystem::is_regular_file(folder / "bundle.json", ec))
    return fail(ErrorKind::bad_input, archive.string() + ": not a numalab bundle (no bundle.json)");
  return folder;
}

}  // namespace numalab::bundle
