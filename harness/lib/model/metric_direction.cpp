#include "model/metric_direction.hpp"

namespace numalab::model {

std::string_view to_string(Better b) {
  switch (b) {
    case Better::lower:
      return "lower";
    case Better::higher:
      return "higher";
    case Better::none:
      return "none";
  }
  return "none";
}

std::optional<Better> better_from_string(std::string_view s) {
  for (Better b : {Better::lower, Better::higher, Better::none})
    if (to_string(b) == s) return b;
  return std::nullopt;
}

}  // namespace numalab::model
