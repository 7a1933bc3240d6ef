#include "kernel/patch_mbox.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace numalab::kernel {

namespace {

constexpr std::size_t k_format_patch_name_max = 64;  // git's format.filenameMaxLength
constexpr std::array<std::string_view, 7> k_days{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 12> k_months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < s.size();) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
    std::size_t end = i;
    while (end < s.size() && s[end] != ' ' && s[end] != '\t' && s[end] != '\r') ++end;
    if (end > i) out.push_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

// "From SENDER Mon Sep 17 00:00:00 2001", "From SENDER Thu Mar  7 09:12:44 +0000 2024".
bool is_separator(std::string_view line) {
  if (!line.starts_with("From ")) return false;
  const auto w = words(line.substr(5));
  if (w.size() < 6) return false;
  const bool clock = w[4].size() >= 5 && w[4][2] == ':' && digits(w[4].substr(0, 2));
  return std::find(k_days.begin(), k_days.end(), w[1]) != k_days.end() &&
         std::find(k_months.begin(), k_months.end(), w[2]) != k_months.end() && digits(w[3]) && clock &&
         std::any_of(w.begin() + 5, w.end(), [](auto y) { return y.size() == 4 && digits(y); });
}

bool is_git_separator(std::string_view line) {
  if (!line.starts_with("From ") || !line.ends_with(" Mon Sep 17 00:00:00 2001")) return false;
  const auto hash = line.substr(5, line.size() - 5 - 25);
  return hash.size() == 40 && std::all_of(hash.begin(), hash.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c));
         });
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

// The Subject header, unfolded: headers follow the From line and end at the first blank line.
std::string subject_of(std::string_view message) {
  if (message.starts_with("From "))
    message.remove_prefix(std::min(message.find('\n'), message.size() - 1) + 1);
  std::string subject;
  bool in_subject = false;
  for (std::size_t start = 0; start < message.size();) {
    std::size_t end = message.find('\n', start);
    if (end == std::string_view::npos) end = message.size();
    auto line = message.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) break;
    if (in_subject && (line[0] == ' ' || line[0] == '\t')) {
      subject += line;
    } else {
      in_subject = starts_with_nocase(line, "Subject:");
      if (in_subject) subject = line.substr(8);
    }
    start = end + 1;
  }
  const auto first = subject.find_first_not_of(" \t");
  return first == std::string::npos ? "" : subject.substr(first);
}

// Reads "n/m" from the leading [..] groups of a subject; returns the title after them.
std::string_view read_tags(std::string_view subject, MboxMessage& m) {
  while (true) {
    subject.remove_prefix(std::min(subject.find_first_not_of(" \t"), subject.size()));
    if (starts_with_nocase(subject, "Re:")) {
      m.reply = true;
      subject.remove_prefix(3);
      continue;
    }
    if (!subject.starts_with('[') || subject.find(']') == std::string_view::npos) return subject;
    const auto close = subject.find(']');
    for (auto w : words(subject.substr(1, close - 1))) {
      const auto slash = w.find('/');
      if (slash != std::string_view::npos && digits(w.substr(0, slash)) && digits(w.substr(slash + 1)) &&
          slash <= 4 && w.size() - slash <= 5) {
        m.number = std::stoi(std::string(w.substr(0, slash)));
        m.total = std::stoi(std::string(w.substr(slash + 1)));
      }
    }
    subject.remove_prefix(close + 1);
  }
}

MboxMessage message_at(std::string_view text, int line) {
  MboxMessage m;
  m.line = line;
  m.text = std::string(text);
  m.subject = subject_of(text);
  read_tags(m.subject, m);
  return m;
}

}  // namespace

std::vector<MboxMessage> split_mbox(std::string_view text) {
  std::vector<std::pair<std::size_t, int>> starts;  // offset and line of each message
  bool blank_before = true;
  int line_no = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    ++line_no;
    const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    const bool separator = is_git_separator(line) || (blank_before && is_separator(line));
    if (starts.empty() && !separator && !blank) return {message_at(text, 1)};  // a plain diff
    if (separator) starts.emplace_back(start, line_no);
    blank_before = blank;
    start = end + 1;
  }
  std::vector<MboxMessage> out;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::size_t end = i + 1 < starts.size() ? starts[i + 1].first : text.size();
    out.push_back(message_at(text.substr(starts[i].first, end - starts[i].first), starts[i].second));
  }
  return out;
}

bool has_diff(std::string_view text) {
  std::string_view previous;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const auto line = text.substr(start, end - start);
    if (line.starts_with("diff --git ") || (previous.starts_with("--- ") && line.starts_with("+++ ")))
      return true;
    previous = line;
    start = end + 1;
  }
  return false;
}

std::string format_patch_name(int number, std::string_view subject) {
  MboxMessage ignored;
  const auto title = read_tags(subject, ignored);
  std::string name = std::to_string(number);
  name.insert(0, name.size() < 4 ? 4 - name.size() : 0, '0');
  name += '-';
  const std::size_t prefix = name.size();
  bool gap = false;
  for (std::size_t i = 0; i < title.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(title[i]);
    if (!std::isalnum(c) && c != '.' && c != '_') {
      gap = true;
      continue;
    }
    if (gap && name.size() > prefix) name += '-';
    gap = false;
    name += static_cast<char>(c);
    while (c == '.' && i + 1 < title.size() && title[i + 1] == '.') ++i;
  }
  while (name.size() > prefix && (name.back() == '.' || name.back() == '-')) name.pop_back();
  if (name.size() > prefix)
    name.resize(std::min(name.size(), k_format_patch_name_max - 7));
  else
    name.pop_back();  // no title: "0003.patch"
  return name + ".patch";
}

}  // namespace numalab::kernel
