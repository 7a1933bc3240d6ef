#include "workload/common/mountinfo.hpp"

#include <optional>

#include "workload/common/proc_text.hpp"

namespace numalab::workload {

namespace {

constexpr std::size_t k_max_path = 4096;
constexpr std::size_t k_max_word = 1024;  // a type, a source, the super options
constexpr std::size_t k_max_optional_fields = 64;

bool is_octal(char c) { return c >= '0' && c <= '7'; }

std::optional<MountEntry> parse_line(std::string_view rest) {
  for (int field = 0; field < 4; ++field)  // mount id, parent id, device, root
    if (proc_text::next_word(rest).empty()) return std::nullopt;
  std::string_view path = proc_text::next_word(rest);
  if (path.empty() || path.size() > k_max_path) return std::nullopt;
  if (proc_text::next_word(rest).empty()) return std::nullopt;  // the mount's options
  std::size_t optional_fields = 0;
  for (std::string_view w = proc_text::next_word(rest); w != "-"; w = proc_text::next_word(rest))
    if (w.empty() || ++optional_fields > k_max_optional_fields) return std::nullopt;
  MountEntry m;
  m.path = unescape_octal(path);
  std::string_view type = proc_text::next_word(rest);
  std::string_view source = proc_text::next_word(rest);
  std::string_view options = proc_text::next_word(rest);
  if (type.empty() || type.size() > k_max_word || source.size() > k_max_word || options.size() > k_max_word)
    return std::nullopt;
  m.type = std::string(type);
  m.source = unescape_octal(source);
  m.super_options = std::string(options);
  return m;
}

}  // namespace

std::string unescape_octal(std::string_view word) {
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] == '\\' && i + 3 < word.size() && is_octal(word[i + 1]) && is_octal(word[i + 2]) &&
        is_octal(word[i + 3])) {
      out += static_cast<char>(((word[i + 1] - '0') << 6) | ((word[i + 2] - '0') << 3) | (word[i + 3] - '0'));
      i += 3;
    } else {
      out += word[i];
    }
  }
  return out;
}

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
  std::vector<MountEntry> out;
  while (!text.empty() && out.size() < k_max_mounts)
    if (auto m = parse_line(proc_text::next_line(text))) out.push_back(std::move(*m));
  return out;
}

}  // namespace numalab::workload
