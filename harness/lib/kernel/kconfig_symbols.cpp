// read_kconfig_symbols: walks the Kconfig files from the top, keeping the if/menu/choice blocks
// that enclose each config entry. Help texts are skipped by their indentation, as kconfig does.
#include <algorithm>
#include <fstream>

#include "kernel/kconfig_depends.hpp"

namespace numalab::kernel {

namespace fs = std::filesystem;

namespace {

struct Block {
  std::string kind;                     // "if", "menu" or "choice"
  std::vector<std::string> conditions;  // the if's expression, a menu's or a choice's depends on
};

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") + 1 - first);
}

std::size_t indentation(std::string_view line) {
  std::size_t column = 0;
  for (char c : line) {
    if (c == ' ')
      ++column;
    else if (c == '\t')
      column = (column / 8 + 1) * 8;
    else
      break;
  }
  return column;
}

// The line without a # comment (a # inside quotes stays).
std::string_view without_comment(std::string_view line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (quote != 0 && line[i] == '\\')
      ++i;
    else if (quote != 0 && line[i] == quote)
      quote = 0;
    else if (quote == 0 && (line[i] == '"' || line[i] == '\''))
      quote = line[i];
    else if (quote == 0 && line[i] == '#')
      return line.substr(0, i);
  }
  return line;
}

std::pair<std::string_view, std::string_view> first_word(std::string_view line) {
  line = trim(line);
  const auto end = std::min(line.find_first_of(" \t"), line.size());
  return {line.substr(0, end), trim(line.substr(end))};
}

std::string unquoted(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'')) s = s.substr(1, s.size() - 2);
  return std::string(s);
}

std::vector<std::string> joined_lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  std::string pending;
  for (std::string line; std::getline(in, line);) {
    if (line.ends_with('\\')) {
      pending += line.substr(0, line.size() - 1);
      continue;
    }
    lines.push_back(pending + line);
    pending.clear();
  }
  return lines;
}

class KconfigReader {
 public:
  KconfigReader(fs::path root, std::string srcarch) : root_(std::move(root)), srcarch_(std::move(srcarch)) {}
  void read(const fs::path& file);
  KconfigSymbols take() { return std::move(symbols_); }

 private:
  void statement(std::string_view keyword, std::string_view rest, const fs::path& file);
  void start_config(std::string_view name);
  void source(std::string_view keyword, std::string_view argument, const fs::path& file);
  void pop(std::string_view kind);

  fs::path root_;
  std::string srcarch_;
  KconfigSymbols symbols_;
  std::vector<Block> blocks_;
  std::vector<fs::path> reading_;  // the files being read, outermost first: a file sourcing itself is skipped
  std::string symbol_;             // the config entry being read; "" outside one
  Block* block_entry_ = nullptr;   // the menu or choice whose attributes are being read
};

void KconfigReader::read(const fs::path& file) {
  if (std::find(reading_.begin(), reading_.end(), file) != reading_.end()) return;
  reading_.push_back(file);
  std::size_t help_indent = 0;
  bool in_help = false;
  for (const auto& raw : joined_lines(file)) {
    if (in_help) {
      if (trim(raw).empty()) continue;
      if (help_indent == 0) help_indent = std::max<std::size_t>(indentation(raw), 1);
      if (indentation(raw) >= help_indent) continue;
      in_help = false;
    }
    auto [keyword, rest] = first_word(without_comment(raw));
    if (keyword == "help" || keyword == "---help---") {
      in_help = true;
      help_indent = 0;
    } else if (!keyword.empty()) {
      statement(keyword, rest, file);
    }
  }
  reading_.pop_back();
}

void KconfigReader::statement(std::string_view keyword, std::string_view rest, const fs::path& file) {
  if (keyword == "config" || keyword == "menuconfig") return start_config(first_word(rest).first);
  if (keyword == "depends" && rest.starts_with("on")) {
    std::string condition(trim(rest.substr(2)));
    if (!symbol_.empty())
      symbols_[symbol_].depends_on.back().push_back(std::move(condition));
    else if (block_entry_ != nullptr)
      block_entry_->conditions.push_back(std::move(condition));
    return;
  }
  if (keyword == "select" && !symbol_.empty()) {
    symbols_[std::string(first_word(rest).first)].selected_by.push_back(symbol_);
    return;
  }
  const bool typed = keyword == "bool" || keyword == "tristate" || keyword == "string" || keyword == "int" ||
                     keyword == "hex";
  if ((keyword == "prompt" || (typed && rest.starts_with('"'))) && !symbol_.empty()) {
    symbols_[symbol_].has_prompt = true;
    return;
  }
  const bool block_keyword = keyword == "if" || keyword == "menu" || keyword == "choice" ||
                             keyword == "endif" || keyword == "endmenu" || keyword == "endchoice" ||
                             keyword == "comment" || keyword.ends_with("source") || keyword == "mainmenu";
  if (!block_keyword) return;  // default, range, imply, option, visible, modules...
  symbol_.clear();
  block_entry_ = nullptr;
  if (keyword == "if") blocks_.push_back({"if", {std::string(rest)}});
  if (keyword == "menu" || keyword == "choice") {
    blocks_.push_back({std::string(keyword), {}});
    block_entry_ = &blocks_.back();
  }
  if (keyword.starts_with("end")) pop(keyword.substr(3));
  if (keyword.ends_with("source")) source(keyword, rest, file);
}

void KconfigReader::start_config(std::string_view name) {
  symbol_ = std::string(name);
  block_entry_ = nullptr;
  std::vector<std::string> enclosing;
  for (const auto& block : blocks_)
    enclosing.insert(enclosing.end(), block.conditions.begin(), block.conditions.end());
  symbols_[symbol_].depends_on.push_back(std::move(enclosing));
}

void KconfigReader::source(std::string_view keyword, std::string_view argument, const fs::path& file) {
  std::string path = unquoted(argument);
  for (std::size_t at; (at = path.find("$(SRCARCH)")) != std::string::npos;) path.replace(at, 10, srcarch_);
  const fs::path base = keyword.starts_with("r") || keyword.starts_with("or") ? file.parent_path() : root_;
  if (fs::is_regular_file(base / path)) read(base / path);  // a missing file: no hint from it
}

void KconfigReader::pop(std::string_view kind) {
  while (!blocks_.empty()) {
    const bool match = blocks_.back().kind == kind;
    blocks_.pop_back();
    if (match) return;
  }
}

}  // namespace

util::Result<KconfigSymbols> read_kconfig_symbols(const fs::path& source_tree, std::string_view srcarch) {
  if (!fs::is_regular_file(source_tree / "Kconfig"))
    return util::fail(
        util::ErrorKind::bad_input,
        source_tree.string() + " has no Kconfig file; name the top folder of a Linux source tree");
  KconfigReader reader(source_tree, std::string(srcarch));
  reader.read(source_tree / "Kconfig");
  return reader.take();
}

}  // namespace numalab::kernel
