#include "compare/interval_method.hpp"

#include <algorithm>

namespace numalab::compare {

std::string_view to_string(IntervalMethod m) {
  switch (m) {
    case IntervalMethod::bootstrap:
      return "bootstrap";
    case IntervalMethod::paired:
      return "paired";
    case IntervalMethod::welch:
      break;
  }
  return "welch";
}

std::optional<IntervalMethod> interval_method_from_string(std::string_view s) {
  if (s == "bootstrap") return IntervalMethod::bootstrap;
  if (s == "welch") return IntervalMethod::welch;
  return std::nullopt;
}

MethodChoice recommend_method(std::size_t n_baseline, std::size_t n_other) {
  std::size_t n = std::min(n_baseline, n_other);
  std::string counts = std::to_string(n_baseline) + " and " + std::to_string(n_other) + " values";
  if (n < 2)
    return {std::nullopt, counts + ": a side with fewer than 2 values has no spread, so no interval"};
  if (n >= k_bootstrap_min_n)
    return {IntervalMethod::bootstrap,
            counts + ": a bootstrap over boots, which assumes nothing about the shape of the values"};
  return {IntervalMethod::welch,
          counts + ": Welch's t test (Fieller's interval), which holds its level with few values; a " +
              "bootstrap's percentile interval is too narrow under " + std::to_string(k_bootstrap_min_n) +
              " values per kernel"};
}

}  // namespace numalab::compare
