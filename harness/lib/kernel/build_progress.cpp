#include "kernel/build_progress.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace numalab::kernel {

void BuildProgress::take(std::string_view line) {
  // kbuild's quiet lines: two spaces, an upper-case verb, spaces, the target.
  if (line.size() < 4 || line.substr(0, 2) != "  " || line[2] < 'A' || line[2] > 'Z') return;
  line.remove_prefix(2);
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return;
  const auto verb = line.substr(0, space);
  if (!std::all_of(verb.begin(), verb.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; }))
    return;
  auto target = line.substr(space);
  target.remove_prefix(std::min(target.find_first_not_of(' '), target.size()));
  phase_ = verb;
  target_ = std::string(target.substr(0, 60));
  ++steps_;
}

void BuildProgress::feed(std::string_view bytes) {
  for (char c : bytes) {
    if (c == '\n') {
      take(partial_);
      partial_.clear();
    } else if (partial_.size() < 512) {
      partial_ += c;
    }
  }
}

KernelBuildProgress BuildProgress::snapshot(std::string kernel, double elapsed_s) const {
  return {std::move(kernel), steps_, expected_, phase_, target_, elapsed_s};
}

std::string format_build_progress(const KernelBuildProgress& p) {
  const int seconds = static_cast<int>(p.elapsed_s);
  std::string head;
  if (p.expected && *p.expected > 0) {
    const auto pct = std::min<std::uint64_t>(99, p.steps * 100 / *p.expected);
    const auto filled = static_cast<std::size_t>(pct * 14 / 100);
    head = fmt::format("[{}{}] {:3}%", std::string(filled, '#'), std::string(14 - filled, '-'), pct);
  } else {
    head = fmt::format("{} steps", p.steps);
  }
  return fmt::format("{}  {} {}  {}m{:02}s", head, p.phase, p.target, seconds / 60, seconds % 60);
}

}  // namespace numalab::kernel
