#include "util/file_tail.hpp"

#include <deque>
#include <fstream>

namespace numalab::util {

namespace {
constexpr std::size_t k_line_width = 300;
}

std::string tail_of_file(const std::filesystem::path& file, std::size_t max_lines,
                         std::string_view if_empty) {
  std::ifstream in(file);  // line by line: a long build log is never held whole
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.size() > k_line_width) line = line.substr(0, k_line_width) + "...";
    lines.push_back("  " + line);
    if (lines.size() > max_lines) lines.pop_front();
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out.empty() ? "  " + std::string(if_empty) + "\n" : out;
}

}  // namespace numalab::util
