#include "result/verdict.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace numalab::result {

namespace {
constexpr std::array<std::string_view, 5> k_names = {"pass", "fail", "error", "hang", "crash"};
}

std::string_view to_string(Verdict v) { return k_names.at(static_cast<std::size_t>(v)); }

std::optional<Verdict> verdict_from_string(std::string_view s) {
  for (std::size_t i = 0; i < k_names.size(); ++i)
    if (k_names[i] == s) return static_cast<Verdict>(i);
  return std::nullopt;
}

Verdict worst(Verdict a, Verdict b) { return std::max(a, b); }

}  // namespace numalab::result
