#include "lab/problems.hpp"

#include <algorithm>

namespace numalab::lab {

void Problems::add(const toml::source_region& where, std::string_view path, std::string message) {
  add(static_cast<int>(where.begin.line), path, std::move(message));
}

void Problems::add(int line, std::string_view path, std::string message) {
  problems_.push_back(Problem{line, std::string(path), std::move(message)});
}

SourceLocation Problems::location(const toml::node& node) const {
  return SourceLocation{file_, static_cast<int>(node.source().begin.line)};
}

std::string Problems::text() const {
  auto sorted = problems_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
    if ((a.line > 0) != (b.line > 0)) return a.line > 0;
    return a.line < b.line;
  });
  std::string out;
  for (const auto& problem : sorted) {
    if (!out.empty()) out += '\n';
    if (problem.line > 0)
      out += file_ + ":" + std::to_string(problem.line) + ": " + problem.message;
    else
      out += file_ + ": " + problem.path + ": " + problem.message;
  }
  return out;
}

}  // namespace numalab::lab
