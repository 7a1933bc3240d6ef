#include "kernel/patch_output.hpp"

#include <charconv>

namespace numalab::kernel {

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

// The number at the start of `s` (0 if none).
int leading_int(std::string_view s) {
  int n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

int number_after(std::string_view s, std::string_view marker) {
  const auto at = s.find(marker);
  return at == std::string_view::npos ? 0 : leading_int(s.substr(at + marker.size()));
}

// "patching file b (renamed from a)" -> "b".
std::string patched_file(std::string_view rest) {
  for (std::string_view suffix : {" (renamed from ", " (copied from ", " (read-only)"})
    if (const auto at = rest.rfind(suffix); at != std::string_view::npos) rest = rest.substr(0, at);
  return std::string(rest);
}

// From the "|+++ b/x.c\t<date>" lines that patch echoes before "No file to patch".
std::string diff_file_name(const std::vector<std::string_view>& lines, std::size_t from) {
  std::string name;
  for (std::size_t i = from; i < lines.size() && lines[i] != "--------------------------"; ++i) {
    for (std::string_view marker : {"|--- ", "|+++ "}) {
      if (!lines[i].starts_with(marker)) continue;
      auto n = lines[i].substr(marker.size());
      n = n.substr(0, n.find('\t'));
      if (n != "/dev/null") name = std::string(n);
    }
  }
  return name;
}

}  // namespace

PatchOutput parse_patch_output(std::string_view output) {
  PatchOutput out;
  const auto lines = lines_of(output);
  std::string file;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto line = lines[i];
    if (line.starts_with("patching file ") || line.starts_with("checking file ")) {
      file = patched_file(line.substr(14));
    } else if (line.starts_with("patching symbolic link ")) {
      file = patched_file(line.substr(23));
    } else if (line.starts_with("Hunk #") && line.find(" FAILED at ") != std::string_view::npos) {
      out.problems.push_back({PatchProblemKind::hunk_failed, file, leading_int(line.substr(6)),
                              number_after(line, " FAILED at "), ""});
    } else if (line.starts_with("Hunk #") && line.find(" with fuzz ") != std::string_view::npos) {
      out.fuzzed.push_back(file + " hunk #" + std::to_string(leading_int(line.substr(6))) + " (fuzz " +
                           std::to_string(number_after(line, " with fuzz ")) + ")");
    } else if (line.starts_with("can't find file to patch at input line ")) {
      const std::size_t block = i + 4 < lines.size() ? i + 4 : lines.size();  // past the dashes
      out.problems.push_back({PatchProblemKind::no_file, diff_file_name(lines, block), 0,
                              number_after(line, "input line "), ""});
    } else if (line.starts_with("Reversed (or previously applied) patch detected!")) {
      out.problems.push_back({PatchProblemKind::reversed, file, 0, 0, ""});
    } else if (line.starts_with("The next patch would create the file ")) {
      auto name = line.substr(37);
      if (name.ends_with(',')) name.remove_suffix(1);
      out.problems.push_back({PatchProblemKind::already_exists, std::string(name), 0, 0, ""});
    } else if (line.starts_with("patch: **** malformed patch at line ")) {
      const auto rest = line.substr(36);
      const auto colon = rest.find(": ");
      out.problems.push_back({PatchProblemKind::malformed, file, 0, leading_int(rest),
                              colon == std::string_view::npos ? "" : std::string(rest.substr(colon + 2))});
    } else if (line.starts_with("patch: **** Only garbage was found in the patch input")) {
      out.problems.push_back({PatchProblemKind::no_diff, "", 0, 0, ""});
    } else if (line.starts_with("patch: **** ")) {
      out.problems.push_back({PatchProblemKind::fatal, file, 0, 0, std::string(line.substr(12))});
    }
  }
  return out;
}

std::string to_string(const PatchProblem& p) {
  const std::string line = std::to_string(p.line);
  switch (p.kind) {
    case PatchProblemKind::hunk_failed:
      return p.file + ": hunk #" + std::to_string(p.hunk) + " FAILED at " + line;
    case PatchProblemKind::no_file:
      return "can't find file to patch: " + (p.file.empty() ? "?" : p.file) + " (input line " + line + ")";
    case PatchProblemKind::reversed:
      return p.file + ": reversed (or previously applied) patch detected";
    case PatchProblemKind::already_exists:
      return p.file + ": the patch creates it but it already exists (previously applied?)";
    case PatchProblemKind::malformed:
      return "malformed patch at line " + line + (p.text.empty() ? "" : ": " + p.text);
    case PatchProblemKind::no_diff:
      return "no diff found in the patch";
    case PatchProblemKind::fatal:
      break;
  }
  return p.text;
}

std::string last_lines(std::string_view text, std::size_t count) {
  std::vector<std::string_view> kept;
  for (auto line : lines_of(text))
    if (!line.empty()) kept.push_back(line);
  std::string out;
  for (std::size_t i = kept.size() > count ? kept.size() - count : 0; i < kept.size(); ++i)
    out += (out.empty() ? "  " : "\n  ") + std::string(kept[i]);
  return out;
}

}  // namespace numalab::kernel
