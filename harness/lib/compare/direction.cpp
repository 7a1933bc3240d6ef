#include "compare/direction.hpp"

#include <cmath>

namespace numalab::compare {

double percent_better(double ratio, Better better) {
  return better == Better::lower ? (1.0 - ratio) * 100.0 : (ratio - 1.0) * 100.0;
}

std::optional<double> oriented_ratio(double ratio, Better better) {
  if (better == Better::none || !std::isfinite(ratio) || !(ratio > 0)) return std::nullopt;
  double oriented = better == Better::lower ? 1.0 / ratio : ratio;
  if (!std::isfinite(oriented)) return std::nullopt;
  return oriented;
}

std::string_view to_string(Change c) {
  switch (c) {
    case Change::not_significant:
      return "not significant";
    case Change::gain:
      return "gain";
    case Change::regression:
      return "regression";
    case Change::changed:
      return "changed";
    case Change::not_compared:
      return "not compared";
  }
  return "not compared";
}

Change classify_change(bool significant, double ratio, Better better) {
  if (std::isnan(ratio)) return Change::not_compared;
  if (!significant) return Change::not_significant;
  if (better == Better::none) return Change::changed;
  double percent = percent_better(ratio, better);
  if (percent > 0) return Change::gain;
  if (percent < 0) return Change::regression;
  return Change::changed;
}

}  // namespace numalab::compare
