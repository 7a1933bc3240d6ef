#include "compare/metric_unit.hpp"

namespace numalab::compare {

std::string_view to_string(MeanKind k) { return k == MeanKind::harmonic ? "harmonic" : "arithmetic"; }

bool is_rate(std::string_view unit) {
  while (!unit.empty() && (unit.back() == ' ' || unit.back() == '\t')) unit.remove_suffix(1);
  return unit.size() > 2 && unit.ends_with("/s");
}

MeanKind mean_kind_for_unit(std::string_view unit) {
  return is_rate(unit) ? MeanKind::harmonic : MeanKind::arithmetic;
}

}  // namespace numalab::compare
