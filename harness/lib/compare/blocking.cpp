#include "compare/blocking.hpp"

namespace numalab::compare {

std::string_view to_string(Blocking b) { return b == Blocking::slot ? "slot" : "none"; }

std::optional<Blocking> blocking_from_string(std::string_view s) {
  if (s == "slot") return Blocking::slot;
  if (s == "none") return Blocking::none;
  return std::nullopt;
}

Blocking resolve_blocking(std::optional<Blocking> asked, bool side_by_side) {
  if (asked) return *asked;
  return side_by_side ? Blocking::slot : Blocking::none;
}

}  // namespace numalab::compare
