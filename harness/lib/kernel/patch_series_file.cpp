#include "kernel/patch_series_file.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

namespace numalab::kernel {

using util::ErrorKind;
using util::fail;

namespace {

constexpr int k_max_strip = 64;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// quilt: a comment starts at a '#' that begins the line or follows a blank ("a#b.patch" is a name).
std::string_view without_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || is_blank(line[i - 1]))) return line.substr(0, i);
  return line;
}

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_blank(line[i])) ++i;
    std::size_t end = i;
    while (end < line.size() && !is_blank(line[end])) ++end;
    if (end > i) out.push_back(line.substr(i, end - i));
    i = end;
  }
  return out;
}

// "-p1" -> 1; nullopt for anything else.
std::optional<int> strip_option(std::string_view word) {
  if (!word.starts_with("-p") || word.size() < 3 || word.size() > 4) return std::nullopt;
  if (!std::all_of(word.begin() + 2, word.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const int n = std::stoi(std::string(word.substr(2)));
  return n <= k_max_strip ? std::optional(n) : std::nullopt;
}

util::Result<std::string> patch_path(std::string_view word, const std::string& where) {
  const std::string name(word);
  if (name.starts_with("-"))
    return fail(ErrorKind::bad_input, where + "the line starts with the option '" + name +
                                          "': write the patch file first, then its options "
                                          "(\"foo.patch -p1\")");
  const std::filesystem::path p(name);
  if (p.is_absolute())
    return fail(ErrorKind::bad_input, where + "'" + name +
                                          "' is an absolute path: name patches relative to the "
                                          "series folder");
  const std::filesystem::path norm = p.lexically_normal();
  if (norm.empty() || *norm.begin() == "..")
    return fail(ErrorKind::bad_input, where + "'" + name +
                                          "' leads out of the series folder: copy the patch into "
                                          "the folder and name it relative to it");
  if (norm == "." || !norm.has_filename())
    return fail(ErrorKind::bad_input, where + "'" + name + "' names a folder, not a patch file");
  return norm.generic_string();
}

}  // namespace

util::Result<std::vector<SeriesEntry>> parse_series_file(std::string_view text, const std::string& file) {
  std::vector<SeriesEntry> entries;
  std::map<std::string, int> listed_on;  // normalised path -> line
  int line_no = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const auto line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    const auto w = words(without_comment(line));
    if (w.empty()) continue;
    const std::string where = file + ":" + std::to_string(line_no) + ": ";
    auto path = patch_path(w[0], where);
    if (!path) return std::unexpected(path.error());
    SeriesEntry entry{*path, 1, line_no};
    bool strip_given = false;
    for (std::size_t i = 1; i < w.size(); ++i) {
      const auto strip = strip_option(w[i]);
      if (!strip)
        return fail(ErrorKind::bad_input, where + "unknown option '" + std::string(w[i]) + "' for " + *path +
                                              ": numalab supports only -pN (strip N leading "
                                              "path components, N from 0 to 64)");
      if (strip_given) return fail(ErrorKind::bad_input, where + *path + " has two -p options: keep one");
      entry.strip = *strip;
      strip_given = true;
    }
    if (auto [at, fresh] = listed_on.emplace(*path, line_no); !fresh)
      return fail(ErrorKind::bad_input, where + *path + " is listed twice (also on line " +
                                            std::to_string(at->second) + "): remove one of the lines");
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace numalab::kernel
