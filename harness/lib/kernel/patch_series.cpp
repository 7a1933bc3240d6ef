#include "kernel/patch_series.hpp"

#include <algorithm>
#include <map>

#include "kernel/patch_mbox.hpp"
#include "kernel/patch_series_file.hpp"
#include "util/file_contents.hpp"
#include "util/sha256.hpp"

namespace numalab::kernel {

using util::ErrorKind;
using util::fail;

namespace {

namespace fs = std::filesystem;

util::Result<std::string> read_bytes(const fs::path& file, const std::string& where) {
  auto bytes = util::read_file(file);
  if (!bytes) return fail(ErrorKind::bad_input, where + bytes.error().message);
  return bytes;
}

util::Result<PatchSeries> load_series_file(const fs::path& series_file) {
  auto text = read_bytes(series_file, "");
  if (!text) return std::unexpected(text.error());
  auto entries = parse_series_file(*text, series_file.string());
  if (!entries) return std::unexpected(entries.error());
  PatchSeries series{series_file, SeriesFormat::series_file, {}};
  for (const auto& e : *entries) {
    const std::string where = series_file.string() + ":" + std::to_string(e.line) + ": ";
    const fs::path file = series_file.parent_path() / e.path;
    if (!fs::is_regular_file(file))
      return fail(ErrorKind::bad_input, where + e.path + " does not exist (looked for " + file.string() +
                                            "): copy the patch there or remove the line");
    auto content = read_bytes(file, where);
    if (!content) return std::unexpected(content.error());
    series.patches.push_back(Patch{e.path, file, e.line, static_cast<int>(series.patches.size()) + 1, e.strip,
                                   std::move(*content)});
  }
  return series;
}

util::Result<PatchSeries> load_mbox(const fs::path& mbox) {
  auto text = read_bytes(mbox, "");
  if (!text) return std::unexpected(text.error());
  auto patches = patches_from_mbox(*text, mbox);
  if (!patches) return std::unexpected(patches.error());
  return PatchSeries{mbox, SeriesFormat::mbox, std::move(*patches)};
}

// "0001-mm-foo.patch": four digits, a dash, a name, ".patch".
bool is_format_patch_name(const std::string& name) {
  return name.size() > 11 && name.ends_with(".patch") && name[4] == '-' &&
         std::all_of(name.begin(), name.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
}

util::Result<PatchSeries> load_patch_files(const fs::path& folder, std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  PatchSeries series{folder, SeriesFormat::patch_files, {}};
  std::map<std::string, std::string> by_number;
  for (const auto& name : names) {
    if (auto [it, fresh] = by_number.emplace(name.substr(0, 4), name); !fresh)
      return fail(ErrorKind::bad_input, (folder / name).string() + ": numbered like " + it->second +
                                            ": two versions of the series in one folder? keep one, or "
                                            "write a series file");
    auto content = read_bytes(folder / name, "");
    if (!content) return std::unexpected(content.error());
    if (name.starts_with("0000-") && !has_diff(*content)) continue;  // the cover letter
    series.patches.push_back(
        Patch{name, folder / name, 0, static_cast<int>(series.patches.size()) + 1, 1, std::move(*content)});
  }
  return series;
}

util::Result<PatchSeries> load_folder(const fs::path& folder) {
  if (fs::exists(folder / "series")) return load_series_file(folder / "series");
  std::vector<std::string> mboxes, numbered, other_patches;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".mbox"))
      mboxes.push_back(name);
    else if (is_format_patch_name(name))
      numbered.push_back(name);
    else if (name.ends_with(".patch") || name.ends_with(".diff"))
      other_patches.push_back(name);
  }
  if (ec) return fail(ErrorKind::bad_input, "cannot list " + folder.string() + ": " + ec.message());
  const std::string fix = ": write a series file there listing the patches in order";
  if (mboxes.size() > 1 || (mboxes.size() == 1 && !numbered.empty()))
    return fail(ErrorKind::bad_input, folder.string() + " has no series file and more than one candidate (" +
                                          (mboxes.size() > 1 ? mboxes[1] : numbered.front()) + ", " +
                                          mboxes.front() + ")" + fix + ", or name the mbox itself");
  if (mboxes.size() == 1) return load_mbox(folder / mboxes.front());
  if (!other_patches.empty())
    return fail(ErrorKind::bad_input, (folder / other_patches.front()).string() +
                                          " is not named like git format-patch output (0001-*.patch), "
                                          "and the folder has no series file" +
                                          fix);
  if (numbered.empty())
    return fail(ErrorKind::bad_input, folder.string() +
                                          " has no series file, no .mbox and no "
                                          "0001-*.patch files" +
                                          fix);
  return load_patch_files(folder, std::move(numbered));
}

}  // namespace

util::Result<PatchSeries> load_patch_series(const fs::path& path) {
  if (fs::is_directory(path)) return load_folder(path);
  if (!fs::is_regular_file(path))
    return fail(ErrorKind::bad_input, "patch series " + path.string() +
                                          " does not exist: name a folder with a series file, an mbox, "
                                          "or a patch");
  if (path.filename() == "series") return load_series_file(path);
  return load_mbox(path);
}

std::string PatchSeries::content_hash() const {
  util::Sha256 h;
  h.update("numalab patch series 1\n");
  for (const auto& p : patches) {
    h.update(std::to_string(p.position) + " -p" + std::to_string(p.strip) + " " +
             std::to_string(p.name.size()) + ":" + p.name + " " + std::to_string(p.content.size()) + ":");
    h.update(p.content);
  }
  return h.hex_digest();
}

std::string PatchSeries::describe(const Patch& patch) const {
  return "patch " + std::to_string(patch.position) + " of " + std::to_string(patches.size()) + ": " +
         patch.name;
}

std::string PatchSeries::location(const Patch& patch) const {
  if (patch.line == 0) return patch.source.string();
  const fs::path& listing = format == SeriesFormat::series_file ? origin : patch.source;
  return listing.string() + ":" + std::to_string(patch.line);
}

}  // namespace numalab::kernel
